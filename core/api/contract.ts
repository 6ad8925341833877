// Over 400 lines on purpose: the one request table of the renderer <-> backend contract, read as a whole.
import { z } from 'zod';
import type { Conflict } from '../conflicts';
import type { ConcurrentMoves } from '../moves';
import type { Booking, Customer, HistoryEntry, Provider, Service, Settings, Slot } from '../model';
import { idSchema, instantSchema, localDateSchema, ROLES, settingsFieldsSchema, slotSchema, STATUSES } from '../model';
import type { Result } from '../result';
import type { SuggestResult } from '../assistant/suggest';
import type { RepeatRule } from '../recurrence/rule';
import type { RouteSheets } from '../route-sheets/route-sheet';
import type { FillDayResult, FillProgress } from '../assistant/fill-day';
import type { LinkResult, OfflineChange, PresencePeer, SignInResult, SyncStatus } from '../sync/client-status';
import type { NotificationEntry } from '../sync/notification-log';
import type { CalendarFeed, InviteCode, TeamInvite, TeamUser } from '../sync/team';
import {
  CSV_DELIMITERS,
  DATE_ORDERS,
  IMPORT_KINDS,
  MAX_CSV_CHARS,
  MAX_CSV_LABEL,
  type CsvExport,
  type ImportCommitResult,
  type ImportPreview,
} from '../csv/kinds';
import { BACKUP_KEEP, type BackupEntry, type BackupSettings, type BackupSummary, type RestoreResult } from '../backup/backups';
import { EVENT_NAMES, REQUEST_NAMES, type MenuAction } from './names';
import { MAX_RANGE_DAYS } from './range-limit';
import { rosterRecordKindSchema, type RosterLostWrite, type RosterRecordKind } from '../doc/roster-lost-writes';
import type { CommandInput, CommandName, CommandOutput } from '../commands/index';
import type { RouteProposal } from '../assistant/order-route';
import { UPDATE_REQUESTS, type UpdateEventPayloads } from './updates-contract';

/**
 * The one renderer <-> backend contract (docs/design.md §6). Both transports (Electron IPC, the web host's
 * WebSocket) validate every argument against `input` before a handler sees it; handlers answer plain data
 * wrapped in a Result, so a validation error reaches the form field that caused it.
 */

/** `sync:redeemCode`'s answer: a sign-in's, and which kind of code it was. */
export interface RedeemCodeResult extends SignInResult {
  codeKind: 'invite' | 'setup';
}

/**
 * What this desktop's workspace holds: `empty` (first run: nothing set up and not linked to a server),
 * `demo` (the demo company, `demoName`), or `company` (the user's own, or a server organization's).
 */
export interface WorkspaceStatus {
  state: 'empty' | 'demo' | 'company';
  demoName: string | null;
  linked: boolean;
  /** Set when the organization's documents are in a newer format than this app writes: it then changes nothing. */
  updateRequired: string | null;
}

/** First run, "Set up my company": the organization's name, zone, distance unit and usual working week. */
export const companySetupSchema = settingsFieldsSchema
  .pick({ name: true, timeZone: true, distanceUnit: true, defaultWeeklyHours: true })
  .extend({ timeFormat: settingsFieldsSchema.shape.timeFormat.optional() });
export type CompanySetup = z.output<typeof companySetupSchema>;

/** A booking as the board shows it: the saved booking with any staged (unsaved) slot applied. */
export interface BoardBooking extends Booking {
  /** True when the slot (and so maybe the status) shown comes from an unsaved board edit. */
  staged: boolean;
}

/**
 * What the board needs of a booking to draw, place and judge its card (`board:getRange`, edit deltas):
 * the rest (address, notes, stamps) comes with `bookings:get` when the job panel opens. A week of
 * 200 × 10k is 40% fewer bytes to send, receive and parse on every read.
 */
export const CARD_BOOKING_FIELDS = [
  'id',
  'title',
  'customerId',
  'serviceId',
  'priority',
  'teamSize',
  'laborHours',
  'arrivalWindow',
  'slot',
  'status',
  /** A technician's "Running late: …" report shows on the card (core/assistant/running-late.ts). */
  'statusNote',
  'staged',
] as const satisfies ReadonlyArray<keyof BoardBooking>;

export type CardBooking = Pick<BoardBooking, (typeof CARD_BOOKING_FIELDS)[number]>;

/** A booking cut down to what its card needs. */
export function cardBooking(b: BoardBooking): CardBooking {
  const out: Partial<Record<keyof CardBooking, unknown>> = {};
  for (const key of CARD_BOOKING_FIELDS) out[key] = b[key];
  return out as CardBooking;
}

export interface BoardView {
  bookings: CardBooking[];
  /** Conflicts per booking id, judged as the board would be after Save. */
  conflicts: Record<string, Conflict[]>;
  stagedCount: number;
}

/**
 * The part of the board an edit changed, so the board repaints without reading the range again: the
 * edited bookings and every booking sharing a row with their old or new place, each with its conflicts
 * exactly as `board:getRange` over the same range would judge them. Bookings listed here replace the
 * board's copies; ids in `gone` no longer overlap the range.
 */
export interface BoardDelta {
  from: string;
  to: string;
  bookings: CardBooking[];
  /** Conflicts of every booking in `bookings` (none listed: it has none). */
  conflicts: Record<string, Conflict[]>;
  gone: string[];
  stagedCount: number;
}

export interface BookingDetails {
  booking: BoardBooking;
  /** The saved slot, when a staged edit differs from it. */
  savedSlot: Slot | null;
  history: HistoryEntry[];
  conflicts: Conflict[];
  /** Moves made concurrently offline that the merge settled: which won, which did not (core/moves.ts). */
  concurrentMoves: ConcurrentMoves | null;
  customer: Customer | null;
  service: Service | null;
}

/** `series:ofBooking`: the series a booking is a visit of (core/recurrence), as the job panel shows it. */
export interface BookingSeriesInfo {
  seriesId: string;
  /** The visit's own date in the series (where the rule put it, even if it was moved since). */
  date: string;
  /** The rule in effect (ends applied) and in words ("Every week on Tuesday, Thursday"). */
  repeat: RepeatRule;
  ruleText: string;
  /** The series' first date and every visit's start time (HH:MM, organization zone), and length. */
  startDate: string;
  startTime: string;
  durationMinutes: number;
  /** The series' first visit: "this and following" is the whole series there. */
  isFirst: boolean;
  /** Changed on its own (a one-visit edit, or by hand, e.g. moved on the board): series edits leave it. */
  ownChanges: boolean;
  /** The series' last date when it ends (on a date, after a count, or ended), else null. */
  lastDate: string | null;
}

export interface Recipient {
  kind: 'provider' | 'customer';
  id: string;
  name: string;
  /** Channels this recipient has turned on, e.g. ['email', 'sms']. */
  channels: string[];
  /** Titles of the saved jobs this recipient will hear about. */
  bookings: string[];
}

export interface SavePreview {
  changes: Array<{ id: string; title: string; from: Slot | null; to: Slot | null }>;
  providers: Recipient[];
  customers: Recipient[];
}

export interface SearchHit {
  kind: 'booking' | 'customer' | 'provider';
  id: string;
  label: string;
  detail: string;
}

const empty = z.object({});
/** A range the board may ask for (`board:getRange`, a `view`): ends after it starts, at most MAX_RANGE_DAYS long. */
const range = z.object({ from: instantSchema, to: instantSchema }).superRefine(({ from, to }, ctx) => {
  const [f, t] = [Date.parse(from), Date.parse(to)];
  if (Number.isNaN(f) || Number.isNaN(t)) return; // the instants' own errors say it
  if (t <= f) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from' });
  else if (t - f > MAX_RANGE_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `At most ${MAX_RANGE_DAYS} days after from` });
});
const notifyChoice = z.object({ notifyProviders: z.boolean(), notifyCustomers: z.boolean() });
/** A user id of the sync server (the server answers 404 for one it does not know). */
const teamUserId = z.string().trim().min(1, 'Required').max(100);

/** CSV import and export (core/csv): which list, the file's text (bounded), import field -> column. */
const importKind = z.enum(IMPORT_KINDS, { message: `One of ${IMPORT_KINDS.join(', ')}` });
const csvText = z.string().max(MAX_CSV_CHARS, `The file is larger than ${MAX_CSV_LABEL}: split it into smaller files`);
const importMapping = z.record(z.string().max(64), z.string().max(500).nullable());
const dateOrder = z.enum(DATE_ORDERS, { message: 'mdy (11/24/2026) or dmy (24/11/2026)' });
/** A backup to check or restore: a listed one by name, or a file by its full path (exactly one of the two). */
const backupSource = z.object({
  name: z.string().max(200).optional(),
  path: z.string().trim().min(1, 'Required').max(4096, 'At most 4096 characters').optional(),
});

/** `input` is checked at the transport; `output` is a type marker only (never constructed). */
const request =
  <O>() =>
  <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });

export const REQUESTS = {
  /** `now`: the backend's clock (epoch ms) when it answered; the renderer's clock follows it. */
  'app:getInfo': request<{ version: string; workspace: string; transport: 'ipc' | 'websocket'; now: number }>()(empty),
  'settings:get': request<Settings>()(empty),
  'providers:list': request<Provider[]>()(z.object({ includeInactive: z.boolean().optional() })),
  'customers:list': request<Customer[]>()(empty),
  'services:list': request<Service[]>()(empty),
  'board:getRange': request<BoardView>()(range),
  'queue:list': request<BoardBooking[]>()(z.object({ text: z.string().max(200).optional() })),
  'bookings:get': request<BookingDetails>()(z.object({ id: idSchema })),
  'bookings:list': request<BoardBooking[]>()(
    z.object({
      text: z.string().max(200).optional(),
      status: z.enum(STATUSES).optional(),
      providerId: idSchema.optional(),
      from: instantSchema.optional(),
      to: instantSchema.optional(),
    }),
  ),
  'search:query': request<SearchHit[]>()(z.object({ text: z.string().max(200) })),
  /** Recurring jobs (electron/backend/api/series-api.ts): a visit's series, or null for a one-off job. */
  'series:ofBooking': request<BookingSeriesInfo | null>()(z.object({ id: idSchema })),
  /** The rule in words of each listed booking that is a visit of a series (the bookings list); others left out. */
  'series:rulesFor': request<Record<string, string>>()(z.object({ ids: z.array(idSchema).max(500, 'At most 500 bookings') })),
  /**
   * Any command from `core/commands` (create booking, send to tech, provider CRUD, ...), committed at once.
   * Typed per command by `CommandRequest` / `CommandReply` below (the renderer's `runCommand`).
   */
  'commands:run': request<unknown>()(z.object({ name: z.string().max(64), input: z.unknown() })),
  /**
   * Board edits are staged, not committed: a new slot for one booking (null = no date). With `view` (the
   * range the board shows) the answer carries what changed in it, so a drop needs no second read.
   */
  'draft:stage': request<{ stagedCount: number; view?: BoardDelta }>()(
    z.object({ id: idSchema, slot: slotSchema.nullable(), view: range.optional() }),
  ),
  /**
   * Several board edits staged at once, all or none (the schedule assistant's filled day, a reordered route):
   * the first edit Save would refuse refuses them all, naming its job.
   */
  'draft:stageMany': request<{ stagedCount: number; view?: BoardDelta }>()(
    z.object({
      // `discard`: back to the saved slot (undoing a step that staged a job for the first time).
      slots: z.array(z.union([z.object({ id: idSchema, slot: slotSchema.nullable() }), z.object({ id: idSchema, discard: z.literal(true) })]))
        .min(1, 'Nothing to stage').max(2000, 'At most 2000 edits at once')
        .refine((l) => new Set(l.map((e) => e.id)).size === l.length, 'Each job at most once'),
      view: range.optional(),
    }),
  ),
  /** Without an id: discard every staged edit. With an id and `view`: what changed in that range. */
  'draft:discard': request<{ stagedCount: number; view?: BoardDelta }>()(z.object({ id: idSchema.optional(), view: range.optional() })),
  'draft:preview': request<SavePreview>()(notifyChoice),
  /** With `view`: the saved bookings in that range as they now are (no longer staged). */
  'draft:save': request<{ saved: number; notificationRequestId: string | null; view?: BoardDelta }>()(
    notifyChoice.extend({ view: range.optional(), moveArrivalWindows: z.boolean().optional() }),
  ),
  /**
   * Daily route sheets (docs/design.md §9) from the saved schedule: what the technicians were told, never staged
   * board edits (`unsavedChanges` counts those, so the preview can say they are not on the sheets).
   */
  'routeSheets:get': request<RouteSheets & { unsavedChanges: number }>()(
    z.object({
      date: localDateSchema,
      providerIds: z.array(idSchema).max(500, 'At most 500 providers').optional(),
      includeEmpty: z.boolean().optional(),
    }),
  ),
  /**
   * Desktop only: the page showing the route sheets, printed to PDF (webContents.printToPDF) into a file the
   * user picks. `path` is null when the user cancelled. The web host refuses it: a browser prints itself.
   */
  'routeSheets:savePdf': request<{ path: string | null }>()(
    z.object({ fileName: z.string().trim().min(1).max(120).regex(/^[^/\\\0]+\.pdf$/i, 'Must be a file name ending in .pdf') }),
  ),
  /** `staged`: undoing a Save stages its jobs' slots from before it (they need a Save); 0 otherwise. */
  'history:undo': request<{ done: boolean; staged: number }>()(empty),
  'history:redo': request<{ done: boolean }>()(empty),
  /** Sync with a Crewline server (docs/design.md §7; electron/backend/sync): the header's status and its form. */
  'sync:getStatus': request<SyncStatus>()(empty),
  'sync:signIn': request<SignInResult>()(
    z.object({
      serverUrl: z.url({ protocol: /^https?$/, error: 'Must be the server address, like http://192.168.1.20:4455' }).max(300),
      email: z.string().trim().min(1, 'Required').max(254),
      password: z.string().min(1, 'Required').max(256),
    }),
  ),
  /**
   * "I have an invite or setup code": redeems the code on the server (the new password is set, or the first
   * admin created) and goes on exactly like `sync:signIn`, `sync:link` after it when `needsLink`. The code
   * is tried as an invite first; a setup code needs `email` and `name` too (without them the answer is a
   * validation error on those fields with `details.codeKind: 'setup'`, and nothing is used up). A dead code
   * is an error on `code` saying why (unknown, used, expired).
   */
  'sync:redeemCode': request<RedeemCodeResult>()(
    z.object({
      serverUrl: z.url({ protocol: /^https?$/, error: 'Must be the server address, like http://192.168.1.20:4455' }).max(300),
      code: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
      password: z.string().min(8, 'At least 8 characters').max(256, 'At most 256 characters'),
      email: z.string().trim().min(1, 'Required').max(254, 'At most 254 characters').optional(),
      name: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters').optional(),
    }),
  ),
  /** After a sign-in that `needsLink`: upload into an empty organization, or replace this workspace with it. */
  /** `confirmDemo`: the user was told this workspace holds the demo company and uploads it anyway. */
  'sync:link': request<LinkResult>()(z.object({ mode: z.enum(['upload', 'replace']), confirmDemo: z.boolean().optional() })),
  'sync:signOut': request<{ signedOut: true }>()(empty),
  /** Others connected to the organization and which job each has open. */
  'sync:getPresence': request<PresencePeer[]>()(empty),
  'sync:setPresence': request<{ openJobId: string | null }>()(z.object({ openJobId: idSchema.nullable() })),
  /** "Changed by X while you were offline" markers: for one booking, for bookings in a range, or all. */
  'sync:listOfflineChanges': request<OfflineChange[]>()(
    z.object({ bookingId: idSchema.optional(), from: instantSchema.optional(), to: instantSchema.optional() }),
  ),
  'sync:dismissOfflineChange': request<{ dismissed: number }>()(z.object({ bookingId: idSchema })),
  /** Roster records' writes of this desktop that lost a conflict (roster-lost-writes.ts): all, or one kind's. */
  'roster:listLostWrites': request<RosterLostWrite[]>()(z.object({ kind: rosterRecordKindSchema.optional() })),
  /** "Got it": forgets the record's marks. */
  'roster:dismissLostWrite': request<{ dismissed: number }>()(z.object({ kind: rosterRecordKindSchema, id: idSchema })),
  /**
   * The Team screen (admins): the sync server's user administration for the signed-in admin's organization,
   * with this workspace's server and sign-in. Formats (email, role rules) are the server's to judge: its
   * field errors come back field by field.
   */
  'team:listUsers': request<{ users: TeamUser[] }>()(empty),
  'team:invite': request<TeamInvite>()(
    z.object({
      email: z.string().trim().min(1, 'Required').max(254, 'At most 254 characters'),
      name: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
      role: z.enum(ROLES, { message: `One of ${ROLES.join(', ')}` }),
      providerId: idSchema.optional(),
    }),
  ),
  'team:updateUser': request<{ user: TeamUser }>()(
    z.object({
      id: teamUserId,
      role: z.enum(ROLES, { message: `One of ${ROLES.join(', ')}` }).optional(),
      disabled: z.boolean().optional(),
    }),
  ),
  'team:revokeSessions': request<{ revoked: number }>()(z.object({ id: teamUserId })),
  'team:newInviteCode': request<InviteCode>()(z.object({ id: teamUserId })),
  /**
   * A provider's calendar feed address on the sync server (admins and dispatchers): made on first ask;
   * regenerating replaces it, and the old address stops working.
   */
  'team:getCalendarFeed': request<CalendarFeed>()(z.object({ providerId: idSchema })),
  'team:regenerateCalendarFeed': request<CalendarFeed>()(z.object({ providerId: idSchema })),
  /**
   * The sync server's notification log (sync-server/README.md "Notifications"): a job's messages (admins and
   * dispatchers), dead letters and retry, and a provider's daily schedule email sent again (admins).
   */
  'notifications:listForBooking': request<{ notifications: NotificationEntry[] }>()(z.object({ bookingId: idSchema })),
  'notifications:listDeadLetters': request<{ notifications: NotificationEntry[] }>()(empty),
  'notifications:retry': request<{ notification: NotificationEntry }>()(z.object({ id: z.number().int().min(1) })),
  'notifications:resendDaily': request<{ notification: NotificationEntry }>()(z.object({ providerId: idSchema, date: localDateSchema })),
  /**
   * CSV import (core/csv, electron/backend/api/import-api.ts): every row read through the mapping (the
   * request's, else the last one committed for this kind, else guessed from the headers) and checked by the
   * commands that would write it. Writes nothing.
   */
  'import:preview': request<ImportPreview>()(
    z.object({ kind: importKind, csvText, mapping: importMapping.optional(), dateOrder: dateOrder.optional() }),
  ),
  /** Writes every valid row as one action (one undo step, one sync update) and remembers the mapping. */
  'import:commit': request<ImportCommitResult>()(
    z.object({ kind: importKind, csvText, mapping: importMapping, dateOrder: dateOrder.optional() }),
  ),
  /** A list as CSV; jobs optionally for local dates `from`..`to` (inclusive, organization zone). */
  'export:csv': request<CsvExport>()(
    z.object({
      kind: importKind,
      from: localDateSchema.optional(),
      to: localDateSchema.optional(),
      delimiter: z.enum(CSV_DELIMITERS).optional(),
    }),
  ),
  /**
   * First run (electron/backend/workspace.ts): an empty workspace gets the demo company or the user's own
   * settings; the demo gives way to an empty workspace (backed up first) with "Start my company".
   */
  'workspace:getStatus': request<WorkspaceStatus>()(empty),
  'workspace:startDemo': request<{ status: WorkspaceStatus }>()(empty),
  'workspace:setUpCompany': request<{ status: WorkspaceStatus }>()(companySetupSchema),
  'workspace:startMyCompany': request<{ backupPath: string; status: WorkspaceStatus }>()(empty),
  /**
   * Backups of the workspace file (core/backup, electron/backend/store/workspace-backup.ts): list, back up
   * now, check a file (what it holds, or why a restore would be refused: `details.reason`), restore (the
   * current workspace is backed up first; a refusal changes nothing), and the automatic backups' retention.
   */
  'backup:list': request<{ dir: string; backups: BackupEntry[] }>()(empty),
  'backup:create': request<BackupEntry>()(empty),
  'backup:check': request<BackupSummary>()(backupSource),
  'backup:restore': request<RestoreResult>()(backupSource),
  'backup:getSettings': request<BackupSettings>()(empty),
  'backup:setSettings': request<BackupSettings>()(
    z.object({
      keep: z
        .number({ message: 'Must be a number' })
        .int('Must be a whole number')
        .min(BACKUP_KEEP.min, `At least ${BACKUP_KEEP.min}`)
        .max(BACKUP_KEEP.max, `At most ${BACKUP_KEEP.max}`),
    }),
  ),
  /**
   * Fill a day (core/assistant/fill-day.ts): the day's unassigned queue, or the given jobs, assigned to
   * providers as a proposal (nothing is staged). Runs in slices with `assistant:progress` events; a newer
   * fill or `assistant:cancel` stops it (it then answers `conflict`, "Cancelled").
   */
  'assistant:fillDay': request<FillDayResult>()(
    z.object({ day: localDateSchema, bookingIds: z.array(idSchema).min(1, 'Select at least one job').max(2000, 'At most 2000 jobs').optional(), runId: z.string().max(64).optional() }),
  ),
  'assistant:cancel': request<{ cancelled: boolean }>()(z.object({ runId: z.string().max(64).optional() })),
  /** Schedule assistant: one provider's stops that day reordered to cut travel (staged edits applied), not staged. */
  'assistant:orderRoute': request<RouteProposal>()(z.object({ providerId: idSchema, day: localDateSchema })),
  /**
   * Schedule assistant (electron/backend/api/suggest-api.ts): every provider ranked for one job, judged on
   * the board as the dispatcher sees it (staged edits applied). `day`: where a job without a date is planned.
   */
  'assistant:suggest': request<SuggestResult>()(z.object({ id: idSchema, day: localDateSchema.optional() })),
  /** Desktop only: the updater in main (updates-contract.ts). */
  ...UPDATE_REQUESTS,
} as const;

export type RequestName = keyof typeof REQUESTS;
export type RequestInput<N extends RequestName> = z.input<(typeof REQUESTS)[N]['input']>;
export type RequestOutput<N extends RequestName> = (typeof REQUESTS)[N]['output'];

export interface EventPayloads extends UpdateEventPayloads {
  /** Coarse invalidation: re-query what is visible (docs/design.md §6). */
  'schedule:changed': { ids: string[] };
  'roster:changed': { ids: string[] };
  'draft:changed': { stagedCount: number };
  /** Desktop only: a menu item was chosen (the web host has no menu; shortcuts do the same). */
  'app:menuInvoked': { action: MenuAction };
  'sync:statusChanged': SyncStatus;
  'sync:presenceChanged': { peers: PresencePeer[] };
  /** Offline-change markers were added or dismissed for these bookings: re-query them. */
  'sync:offlineChangesChanged': { bookingIds: string[] };
  /** Lost-write marks of these roster records were added or dismissed: re-query them. */
  'roster:lostWritesChanged': { records: Array<{ kind: RosterRecordKind; id: string }> };
  /** A running fill's progress (`runId` as the request gave it). */
  'assistant:progress': { runId: string | null; phase: FillProgress['phase']; done: number; total: number };
}
export type EventName = keyof EventPayloads;

/** The runtime allow-lists live in names.ts (zod-free, for the preload); here they are held to the types. */
export { EVENT_NAMES, REQUEST_NAMES };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _namesMatchContract: Same<RequestName, (typeof REQUEST_NAMES)[number]> & Same<EventName, (typeof EVENT_NAMES)[number]> = true;

export const isRequestName = (name: unknown): name is RequestName =>
  typeof name === 'string' && Object.hasOwn(REQUESTS, name);

/** What a transport calls: validated input in, Result out. */
export type Handlers = { [N in RequestName]: (input: z.output<(typeof REQUESTS)[N]['input']>) => Result<RequestOutput<N>> | Promise<Result<RequestOutput<N>>> };

/**
 * `commands:run` for one command, typed from core's command table (the transport checks only the name's
 * shape; the command validates its own input): what to send, and what a success answers.
 */
export type CommandRequest<N extends CommandName = CommandName> = { [K in N]: { name: K; input: CommandInput<K> } }[N];
export type CommandReply<N extends CommandName> = CommandOutput<N>;

/** The renderer's view of the backend, whichever transport carries it. */
export interface BackendClient {
  request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}
