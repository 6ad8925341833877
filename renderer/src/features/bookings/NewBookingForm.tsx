import { listText } from '../../../../core/format.ts';
import { useMemo, useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, type Priority } from '../../../../core/model';
import { runCommand, useBackendQuery, useOrgSettings } from '../forms/backend';
import { Field } from '../forms/Field';
import { FormActions } from '../forms/FormActions';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors';
import { FieldGroup } from '../forms/FieldGroup';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import { addMinutes, formatDateTime, instantToLocalDateTime, localDateTimeToInstant } from '../forms/time-zone';
import { parseNumber } from '../forms/values';
import { RepeatControl } from '../recurrence/RepeatControl';
import { followStart, NO_REPEAT, repeatInput, type RepeatDraft } from '../recurrence/repeat-draft';
import { PRIORITY_LABELS, PRIORITY_OPTIONS } from './booking-labels';

export interface NewBookingFormProps {
  client: BackendClient;
  onCreated: (booking: { id: string; title: string }) => void;
  onCancel: () => void;
  /** Pre-filled start (ISO instant), e.g. from a click on the board. */
  initialStart?: string;
  /** Pre-filled length in minutes (a range selected on the board); otherwise the service's. */
  initialMinutes?: number;
  /** Pre-ticked technicians. */
  initialAssignees?: readonly string[];
}

interface Draft {
  title: string;
  customerId: string;
  serviceId: string;
  priority: Priority;
  notes: string;
  /** datetime-local text in the organization's zone; blank = no date (the job goes to the queue). */
  start: string;
  durationMinutes: string;
  assignees: string[];
  repeat: RepeatDraft;
}

const DEFAULT_MINUTES = 60;

/** A new job: `createBooking`, with an optional slot (start + duration + technicians) in the org zone. */
export function NewBookingForm({ client, onCreated, onCancel, initialStart, initialMinutes, initialAssignees }: NewBookingFormProps) {
  const errors = useFieldErrors();
  const settings = useOrgSettings(client);
  const customers = useBackendQuery(client, 'customers:list', {}, ['roster:changed']);
  const services = useBackendQuery(client, 'services:list', {}, ['roster:changed']);
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: false }, ['roster:changed']);
  const zone = settings.data?.timeZone;

  const [draft, setDraft] = useState<Draft>({
    title: '',
    customerId: '',
    serviceId: '',
    priority: 'normal',
    notes: '',
    start: '',
    durationMinutes: initialMinutes ? String(initialMinutes) : '',
    assignees: [...(initialAssignees ?? [])],
    repeat: NO_REPEAT,
  });
  // An initial start can only be shown once the zone is known.
  const [startSeeded, setStartSeeded] = useState(!initialStart);
  if (!startSeeded && zone && initialStart) {
    setStartSeeded(true);
    setDraft((d) => {
      const start = instantToLocalDateTime(initialStart, zone);
      return { ...d, start, repeat: followStart(d.repeat, start.slice(0, 10)) };
    });
  }
  const [busy, setBusy] = useState(false);

  const service = services.data?.find((s) => s.id === draft.serviceId);
  const defaultMinutes = service?.durationMinutes ?? DEFAULT_MINUTES;
  const sortedCustomers = useMemo(() => [...(customers.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [customers.data]);
  const activeServices = useMemo(
    () => (services.data ?? []).filter((s) => s.active || s.id === draft.serviceId).sort((a, b) => a.name.localeCompare(b.name)),
    [services.data, draft.serviceId],
  );
  const providerList = useMemo(
    () => [...(providers.data ?? [])].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name)),
    [providers.data],
  );

  const set = <K extends keyof Draft>(key: K, value: Draft[K], path: string = key) => {
    setDraft((d) => ({ ...d, [key]: value }));
    errors.clear(path);
  };

  const chooseService = (id: string) => {
    const previous = services.data?.find((s) => s.id === draft.serviceId);
    const next = services.data?.find((s) => s.id === id);
    setDraft((d) => ({
      ...d,
      serviceId: id,
      // Follow the service's name while the title is still the previous service's (or empty).
      title: !d.title.trim() || (previous && d.title === previous.name) ? (next?.name ?? '') : d.title,
    }));
    errors.clear('serviceId');
  };

  const startInstant = zone ? localDateTimeToInstant(draft.start, zone) : null;
  const minutes = parseNumber(draft.durationMinutes);
  const effectiveMinutes = minutes === null ? defaultMinutes : minutes;
  const endPreview =
    startInstant && typeof effectiveMinutes === 'number' && effectiveMinutes > 0 && zone ? formatDateTime(addMinutes(startInstant, effectiveMinutes), zone) : null;

  const repeats = draft.repeat.freq !== 'none';
  const setStart = (start: string) => {
    setDraft((d) => ({ ...d, start, repeat: followStart(d.repeat, start.slice(0, 10)) }));
    errors.clear('slot');
    errors.clear('startDate');
    errors.clear('startTime');
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy || !zone) return;
    if (repeats) return createRepeating();
    const local: Record<string, string> = {};
    if (draft.start.trim() && !startInstant) local['slot.start'] = 'Must be a date and time';
    if (!draft.start.trim() && draft.assignees.length > 0) local['slot.start'] = 'Pick a date and time to assign technicians';
    if (draft.start.trim() && (effectiveMinutes === 'invalid' || effectiveMinutes <= 0)) local.durationMinutes = 'Must be a number of minutes, e.g. 90';
    if (errors.showLocal(local)) return;
    const slot =
      startInstant && typeof effectiveMinutes === 'number'
        ? { start: startInstant, end: addMinutes(startInstant, effectiveMinutes), assignees: draft.assignees }
        : null;
    setBusy(true);
    const result = await runCommand(client, 'createBooking', {
      title: draft.title,
      customerId: draft.customerId || null,
      serviceId: draft.serviceId || null,
      priority: draft.priority,
      notes: draft.notes,
      slot,
    });
    setBusy(false);
    if (result.ok) onCreated({ id: result.value.id, title: draft.title.trim() });
    else errors.showError(result.error);
  };

  /** A repeating job: `createSeries`, from the start's local date and time, in the organization's zone. */
  const createRepeating = async () => {
    const rule = repeatInput(draft.repeat);
    const local: Record<string, string> = { ...rule.errors };
    if (!draft.start.trim()) local['slot.start'] = 'A repeating job needs the date and time of its first visit';
    else if (!startInstant) local['slot.start'] = 'Must be a date and time';
    if (effectiveMinutes === 'invalid' || (typeof effectiveMinutes === 'number' && effectiveMinutes <= 0)) local.durationMinutes = 'Must be a number of minutes, e.g. 90';
    if (errors.showLocal(local) || !rule.value) return;
    setBusy(true);
    const result = await runCommand(client, 'createSeries', {
      title: draft.title,
      customerId: draft.customerId || null,
      serviceId: draft.serviceId || null,
      priority: draft.priority,
      notes: draft.notes,
      assignees: draft.assignees,
      ...(typeof minutes === 'number' ? { durationMinutes: minutes } : {}),
      startDate: draft.start.slice(0, 10),
      startTime: draft.start.slice(11, 16),
      repeat: rule.value,
    });
    setBusy(false);
    if (!result.ok) {
      errors.showError(result.error);
      return;
    }
    // The job panel opens on the first visit: a visit is a booking like any other.
    const first = result.value.occurrences[0];
    onCreated({ id: first ?? result.value.id, title: draft.title.trim() });
  };

  const missingSkills = (skills: readonly string[]) =>
    (service?.requiredSkills ?? []).filter((r) => !skills.some((s) => s.toLowerCase() === r.toLowerCase()));

  return (
    <FieldErrorsContext value={errors}>
      <form className="adm-form bk-new-form" noValidate aria-label="New booking" onSubmit={(e) => void submit(e)} onKeyDown={formKeyDown(onCancel)}>
        <FormMessage labels={{ slot: 'Schedule', location: 'Location', teamSize: 'Team size', laborHours: 'Labor hours', repeat: 'Repeats' }} />
        <div className="adm-form-grid">
          <Field label="Title" path="title" className="adm-span-all">
            {(c) => <input {...c} type="text" autoComplete="off" maxLength={TEXT_LIMITS.jobTitle} autoFocus value={draft.title} onChange={(e) => set('title', e.target.value)} placeholder="e.g. Furnace tune-up" />}
          </Field>
          <Field label="Customer" path="customerId">
            {(c) => (
              <select {...c} value={draft.customerId} onChange={(e) => set('customerId', e.target.value)}>
                <option value="">— No customer —</option>
                {sortedCustomers.map((cu) => (
                  <option key={cu.id} value={cu.id}>
                    {cu.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Service" path="serviceId" hint={service ? `${service.durationMinutes} min · team of ${service.teamSize} · ${service.laborHours} labor h` : undefined}>
            {(c) => (
              <select {...c} value={draft.serviceId} onChange={(e) => chooseService(e.target.value)}>
                <option value="">— No service —</option>
                {activeServices.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Priority" path="priority">
            {(c) => (
              <select {...c} value={draft.priority} onChange={(e) => set('priority', e.target.value as Priority)}>
                {PRIORITY_OPTIONS.map((p) => (
                  <option key={p} value={p}>
                    {PRIORITY_LABELS[p]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Notes" path="notes" className="adm-span-all">
            {(c) => <textarea {...c} rows={3} maxLength={TEXT_LIMITS.notes} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />}
          </Field>
        </div>

        <FieldGroup
          legend={repeats ? 'Schedule' : 'Schedule (optional)'}
          path="slot"
          hint={
            !zone
              ? 'Loading the organization’s time zone…'
              : repeats
                ? `Times in ${zone}. The start is the first visit's date and every visit's time.`
                : `Times in ${zone}. Leave the start blank to put the job in the unscheduled queue.`
          }
        >
          <div className="adm-form-grid">
            <Field label="Start" path="slot.start" aliases={['startDate', 'startTime']}>
              {(c) => <input {...c} type="datetime-local" value={draft.start} onChange={(e) => setStart(e.target.value)} />}
            </Field>
            <Field label="Duration (minutes)" path="durationMinutes" aliases={['slot.end']} hint={endPreview ? `Ends ${endPreview}` : `Default ${defaultMinutes} min`}>
              {(c) => (
                <input
                  {...c}
                  type="number"
                  min={5}
                  step={5}
                  placeholder={String(defaultMinutes)}
                  value={draft.durationMinutes}
                  onChange={(e) => {
                    set('durationMinutes', e.target.value);
                    errors.clear('slot.end');
                  }}
                />
              )}
            </Field>
          </div>
          <FieldGroup legend="Technicians" path="slot.assignees" aliases={['assignees']} className="bk-assignees" hint={service && service.teamSize > 1 ? `This service needs ${service.teamSize} technicians.` : undefined}>
            {providerList.length === 0 ? <p className="adm-muted">No active providers.</p> : null}
            <div className="bk-assignee-list">
              {providerList.map((p) => {
                const missing = missingSkills(p.skills);
                return (
                  <label key={p.id} className="bk-assignee" data-provider-id={p.id}>
                    <input
                      type="checkbox"
                      name="slot.assignees"
                      value={p.id}
                      checked={draft.assignees.includes(p.id)}
                      onChange={(e) => {
                        set('assignees', e.target.checked ? [...draft.assignees, p.id] : draft.assignees.filter((a) => a !== p.id), 'slot');
                        errors.clear('assignees');
                      }}
                    />
                    <span className="adm-swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                    {p.name}
                    {missing.length > 0 ? <span className="adm-muted bk-missing"> (lacks {listText(missing)})</span> : null}
                  </label>
                );
              })}
            </div>
          </FieldGroup>
          <RepeatControl
            value={draft.repeat}
            referenceYear={draft.start ? Number(draft.start.slice(0, 4)) : undefined}
            onChange={(repeat, changedPath) => {
              setDraft((d) => ({ ...d, repeat }));
              errors.clear(changedPath);
              // A new kind of repeat makes every earlier complaint about the rule moot.
              if (changedPath === 'repeat.freq') errors.clear('repeat');
            }}
          />
        </FieldGroup>

        <FormActions busy={busy} disabled={!zone} busyLabel="Creating…" submitLabel={repeats ? 'Create repeating job' : 'Create booking'} onCancel={onCancel} />
      </form>
    </FieldErrorsContext>
  );
}
