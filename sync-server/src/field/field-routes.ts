import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { getBooking } from '../../../core/doc/schedule';
import { AVAILABLE_DAYS } from '../../../core/field/claim-window';
import { availableJobs, FIELD_ACTIONS, fieldDay, fieldJob, isAssignedTo, type FieldJob } from '../../../core/field/field-jobs';
import { ID_PATTERN } from '../../../core/ids';
import { localDateSchema, type Actor } from '../../../core/model';
import type { AppError, ErrorCode } from '../../../core/result';
import { localDateOf } from '../../../core/time';
import { fromZodError } from '../accounts/account-errors';
import type { Authenticator, Principal } from '../auth/principal';
import { HttpError, readJsonBody, sendJson } from '../http/http-util';
import { createRouter, requirePrincipal, type Route } from '../http/router';
import { serverCommand, whenDurable, withOrgDocs, prepareOrgDocs, type OrgDocs } from '../sync/org-docs';
import type { RoomRegistry } from '../sync/room-registry';
import { fieldWorldOf } from './field-world';
import { fieldNoticesRoute } from './field-notices-route';
import type { ToldItem } from '../../../core/field/field-notices';

/**
 * The field API (docs/design.md §7) for technician tokens: their own jobs by date, status updates along the state
 * machine, running-late reports, and self-dispatch. Every write is a core command run by the server as
 * the technician (their user id and name, role `technician`, their provider id) with origin `server`, so
 * the commands' own rules apply (own jobs only, legal transitions, self-dispatch setting) and connected
 * desktops see the change live. Answers use the field-safe job shape of core/field/field-jobs.ts.
 *
 * Object-level rules: a job that is not assigned to the caller answers 404 exactly like one that does
 * not exist; a write is answered only once it is committed to rooms.sqlite.
 */

/** How far ahead self-dispatch offers jobs (the claim command holds to the same window). */
export { AVAILABLE_DAYS };

const StatusBody = z.strictObject({
  status: z.enum(FIELD_ACTIONS, { message: `One of ${FIELD_ACTIONS.join(', ')}` }),
  note: z.string().max(1000, 'At most 1000 characters').optional(),
});

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  illegal_transition: 409,
  conflict: 409,
};

/** A refused command as an HTTP error: its code, its message (the state machine's reason), its field. */
export function commandError(error: AppError): HttpError {
  const status = STATUS_OF[error.code];
  // Unexpected: thrown, so the router answers 500 and the request's log line carries what failed.
  if (!status) throw new Error(`A field command failed unexpectedly: ${error.code}: ${error.message}`);
  const field = error.fieldErrors ? Object.keys(error.fieldErrors)[0] : undefined;
  // A claim refused by the hard rules carries each of the engine's reasons, for the page to list.
  const reasons = error.details?.reasons;
  const body = Array.isArray(reasons) ? { reasons } : undefined;
  return new HttpError(status, error.code, error.message, field === '_' ? undefined : field, {}, body);
}

const noSuchJob = () => new HttpError(404, 'not_found', 'No such job among yours');

export interface FieldRoutesOptions {
  registry: RoomRegistry;
  auth: Authenticator;
  now?: () => number;
  /** What the notification worker told a technician since then (none where the worker is off). */
  told?: (orgId: string, providerId: string, sinceMs: number) => ToldItem[] | Promise<ToldItem[]>;
}

export function createFieldRoutes({ registry, auth, now = Date.now, told = () => [] }: FieldRoutesOptions) {
  /** The caller, who must be a technician linked to a provider record. */
  const technician = async (req: IncomingMessage): Promise<Principal & { providerId: string }> => {
    const principal = await requirePrincipal(req, auth);
    if (principal.role !== 'technician') {
      throw new HttpError(403, 'forbidden', 'The field API is for technicians; the console works on the schedule itself');
    }
    if (!principal.providerId) {
      throw new HttpError(403, 'forbidden', 'Your account is not linked to a service provider: ask an admin to link it');
    }
    return principal as Principal & { providerId: string };
  };

  const actorOf = (p: Principal & { providerId: string }): Actor => ({
    id: p.userId,
    name: p.name,
    role: 'technician',
    providerId: p.providerId,
  });

  /** A job id from the path; a malformed one is a job that does not exist. */
  const jobId = (params: readonly string[]): string => {
    const id = params[0] ?? '';
    if (!ID_PATTERN.test(id)) throw noSuchJob();
    return id;
  };

  const queryOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://localhost').searchParams;

  /** The job as the caller now sees it (after a write). */
  const reread = (docs: OrgDocs, providerId: string, id: string): FieldJob => {
    const found = fieldJob(fieldWorldOf(docs), providerId, id);
    if (found.found !== 'job') throw noSuchJob();
    return found.job;
  };

  /** Answers `{job}` after a write, once the write is on disk. */
  const answerAfterWrite = async (res: ServerResponse, job: FieldJob) => {
    await whenDurable(registry);
    sendJson(res, 200, { job });
  };

  const routes: Route[] = [
    {
      pattern: /^\/api\/field\/jobs$/,
      methods: {
        GET: async (req, res) => {
          const me = await technician(req);
          const asked = queryOf(req).get('date');
          if (asked !== null && !localDateSchema.safeParse(asked).success) {
            throw new HttpError(400, 'validation', 'date: Must be a date like 2026-11-23', 'date');
          }
          await prepareOrgDocs(registry, me.orgId);
          const answer = withOrgDocs(registry, me.orgId, (docs) => {
            const world = fieldWorldOf(docs);
            const date = asked ?? localDateOf(now(), world.settings.timeZone);
            return { ...fieldDay(world, me.providerId, date), selfDispatch: world.settings.selfDispatch };
          });
          sendJson(res, 200, answer);
        },
      },
    },
    fieldNoticesRoute({ registry, technician, told, now }),
    {
      pattern: /^\/api\/field\/available$/,
      methods: {
        GET: async (req, res) => {
          const me = await technician(req);
          await prepareOrgDocs(registry, me.orgId);
          const jobs = withOrgDocs(registry, me.orgId, (docs) => {
            const world = fieldWorldOf(docs);
            if (!world.settings.selfDispatch) {
              throw new HttpError(403, 'forbidden', 'Self-dispatch is turned off for this organization');
            }
            return availableJobs(world, localDateOf(now(), world.settings.timeZone), AVAILABLE_DAYS, 200, me.providerId);
          });
          sendJson(res, 200, { jobs });
        },
      },
    },
    {
      pattern: /^\/api\/field\/jobs\/([^/]+)$/,
      methods: {
        GET: async (req, res, params) => {
          const me = await technician(req);
          const id = jobId(params);
          await prepareOrgDocs(registry, me.orgId);
          const found = withOrgDocs(registry, me.orgId, (docs) => fieldJob(fieldWorldOf(docs), me.providerId, id));
          if (found.found === 'none') throw noSuchJob();
          if (found.found === 'cancelled') throw new HttpError(410, 'cancelled', 'This job was cancelled');
          sendJson(res, 200, { job: found.job });
        },
      },
    },
    {
      pattern: /^\/api\/field\/jobs\/([^/]+)\/status$/,
      methods: {
        POST: async (req, res, params) => {
          const me = await technician(req);
          const id = jobId(params);
          const parsed = StatusBody.safeParse(await readJsonBody(req));
          if (!parsed.success) throw bodyError(parsed.error);
          const { status, note } = parsed.data;
          await prepareOrgDocs(registry, me.orgId);
          const job = withOrgDocs(registry, me.orgId, (docs) => {
            const booking = getBooking(docs.schedule, id);
            if (!booking || !isAssignedTo(booking, me.providerId)) throw noSuchJob();
            const result =
              status === 'running_late'
                ? serverCommand(docs, actorOf(me), 'reportRunningLate', { id, note: note ?? '' }, now())
                : serverCommand(docs, actorOf(me), 'updateStatus', { id, status, note: note ?? '' }, now());
            if (!result.ok) throw commandError(result.error);
            return reread(docs, me.providerId, id);
          });
          await answerAfterWrite(res, job);
        },
      },
    },
    {
      pattern: /^\/api\/field\/jobs\/([^/]+)\/claim$/,
      methods: {
        POST: async (req, res, params) => {
          const me = await technician(req);
          const id = jobId(params);
          // The body is not read: a claim says everything in its path.
          await prepareOrgDocs(registry, me.orgId);
          const job = withOrgDocs(registry, me.orgId, (docs) => {
            const booking = getBooking(docs.schedule, id);
            if (!booking) throw noSuchJob();
            if (isAssignedTo(booking, me.providerId)) throw new HttpError(409, 'conflict', 'You already have this job');
            // Plan and write happen in this one synchronous call: of two claims, the second sees the first.
            const result = serverCommand(docs, actorOf(me), 'claimJob', { id }, now());
            if (!result.ok) throw commandError(result.error);
            return reread(docs, me.providerId, id);
          });
          await answerAfterWrite(res, job);
        },
      },
    },
  ];

  return createRouter(routes);
}

function bodyError(error: z.ZodError): HttpError {
  const problem = fromZodError(error);
  return new HttpError(400, 'validation', problem.message, problem.field);
}
