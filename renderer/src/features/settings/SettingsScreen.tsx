import { useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, settingsCrossFieldErrors, TRAVEL_SPEED_KMH, type Settings } from '../../../../core/model';
import { formatSpeed, fromKm, speedIn, speedUnitLabel, toKm, type DistanceUnit } from '../../../../core/units';
import { runCommand, useOrgSettings } from '../forms/backend';
import { Field, type ControlProps } from '../forms/Field';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors';
import { FieldGroup } from '../forms/FieldGroup';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import { formatTime, zoneAbbreviation } from '../forms/time-zone';
import { TimeZoneInput } from '../forms/TimeZoneInput';
import { DistanceUnitSelect } from '../forms/DistanceUnitSelect';
import { changedFields, normalizeTime, numberText, parseNumber, sameValue } from '../forms/values';
import { useNow } from '../../clock.ts';
import { WeeklyHoursEditor } from '../providers/WeeklyHoursEditor';
import '../providers/providers.css';
import { BackupsSection } from '../backup/BackupsSection.tsx';
import { TimeFormatSelect } from '../forms/TimeFormatSelect.tsx';
import { UpdateSettingsSection } from '../updates/UpdateSettingsSection.tsx';
import './settings.css';
import { Button } from '../../components/Button.tsx';

export interface SettingsScreenProps {
  client: BackendClient;
}

/** The key FullCalendar's premium plugins accept for AGPL-licensed software such as Crewline (docs/design.md §10). */
export const AGPL_CALENDAR_KEY = 'AGPL-My-Frontend-And-Backend-Are-Open-Source';

/**
 * Number settings are edited as text, so a half-typed value is not lost or reformatted. The travel speed is
 * stored in km/h and typed in the organization's unit (`distanceUnit`): its text is in the draft's unit.
 */
type NumberKey = 'archiveAfterDays' | 'travelSpeedKmh' | 'travelDistanceFactor' | 'recurrenceHorizonWeeks' | 'assistantTravelWeight' | 'assistantBalanceWeight';
type Draft = Omit<Settings, NumberKey> & Record<NumberKey, string>;

const speedText = (kmh: number, unit: DistanceUnit): string => numberText(speedIn(kmh, unit));
/** The accepted range in the unit, rounded inwards so a value typed at a bound converts inside it. */
const speedRange = (unit: DistanceUnit) => ({
  min: Math.ceil(fromKm(TRAVEL_SPEED_KMH.min, unit) * 10) / 10,
  max: Math.floor(fromKm(TRAVEL_SPEED_KMH.max, unit) * 10) / 10,
});

const draftOf = (s: Settings): Draft => ({
  ...s,
  archiveAfterDays: numberText(s.archiveAfterDays),
  travelSpeedKmh: speedText(s.travelSpeedKmh, s.distanceUnit),
  travelDistanceFactor: numberText(s.travelDistanceFactor),
  recurrenceHorizonWeeks: numberText(s.recurrenceHorizonWeeks),
  assistantTravelWeight: numberText(s.assistantTravelWeight),
  assistantBalanceWeight: numberText(s.assistantBalanceWeight),
});

/** The typed speed in km/h; an untouched one keeps the saved value exactly (18.6 mph is not quite 30 km/h). */
function speedKmh(text: string, unit: DistanceUnit, saved: Settings): number | null {
  if (text === speedText(saved.travelSpeedKmh, unit)) return saved.travelSpeedKmh;
  const value = parseNumber(text);
  if (typeof value !== 'number') return null;
  return unit === 'km' ? value : Math.round(toKm(value, unit) * 100) / 100;
}

function fieldsOf(d: Draft, saved: Settings): { fields: Settings; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const days = parseNumber(d.archiveAfterDays);
  if (days === null) errors.archiveAfterDays = 'Required';
  else if (days === 'invalid') errors.archiveAfterDays = 'Must be a whole number of days';
  const unit = d.distanceUnit;
  const speedLabel = speedUnitLabel(unit);
  const speed = parseNumber(d.travelSpeedKmh);
  const range = speedRange(unit);
  if (speed === null) errors.travelSpeedKmh = 'Required';
  else if (speed === 'invalid') errors.travelSpeedKmh = `Must be a number of ${speedLabel}, like ${speedText(30, unit)}`;
  else if (speed < range.min) errors.travelSpeedKmh = `At least ${range.min} ${speedLabel}`;
  else if (speed > range.max) errors.travelSpeedKmh = `At most ${range.max} ${speedLabel}`;
  const weeks = parseNumber(d.recurrenceHorizonWeeks);
  if (weeks === null) errors.recurrenceHorizonWeeks = 'Required';
  else if (weeks === 'invalid') errors.recurrenceHorizonWeeks = 'Must be a whole number of weeks, like 8';
  const factor = parseNumber(d.travelDistanceFactor);
  if (factor === null) errors.travelDistanceFactor = 'Required';
  else if (factor === 'invalid') errors.travelDistanceFactor = 'Must be a number, like 1.3';
  const weights = assistantWeights(d, errors);
  const fields: Settings = {
    ...d,
    ...weights,
    timeZone: d.timeZone.trim(),
    timelineStart: normalizeTime(d.timelineStart),
    timelineEnd: normalizeTime(d.timelineEnd),
    dailyEmailTime: normalizeTime(d.dailyEmailTime),
    archiveAfterDays: typeof days === 'number' ? days : 0,
    travelSpeedKmh: speedKmh(d.travelSpeedKmh, unit, saved) ?? 0,
    travelDistanceFactor: typeof factor === 'number' ? factor : 0,
    recurrenceHorizonWeeks: typeof weeks === 'number' ? weeks : 0,
  };
  return { fields, errors };
}

/** Fill a day's two weights (0–10; the range itself is checked by the settings schema, with its words). */
function assistantWeights(d: Draft, errors: Record<string, string>) {
  const out = { assistantTravelWeight: 0, assistantBalanceWeight: 0 };
  for (const key of ['assistantTravelWeight', 'assistantBalanceWeight'] as const) {
    const value = parseNumber(d[key]);
    if (value === null) errors[key] = 'Required';
    else if (value === 'invalid') errors[key] = 'Must be a number from 0 to 10, like 1';
    else out[key] = value;
  }
  return out;
}

function zoneNow(zone: string, nowMs: number): string | null {
  const at = new Date(nowMs).toISOString();
  try {
    return `${formatTime(at, zone)} ${zoneAbbreviation(zone, at)}`;
  } catch {
    return null;
  }
}

/** Organization settings: saved with `updateSettings`, sending only the settings that changed. */
export function SettingsScreen({ client }: SettingsScreenProps) {
  const settings = useOrgSettings(client);
  return (
    <section className="adm-screen set-screen" aria-labelledby="set-screen-title">
      <header className="adm-header">
        <h1 id="set-screen-title">Settings</h1>
      </header>
      {settings.error && !settings.data ? (
        <p className="adm-load-error" role="alert">
          Could not load settings: {settings.error.message}
        </p>
      ) : null}
      {settings.data ? <SettingsForm client={client} settings={settings.data} onSaved={settings.reload} /> : settings.loading ? <p className="adm-muted">Loading…</p> : null}
      {/* This desktop's backups (features/backup); `#/settings?section=backups` opens it. */}
      <BackupsSection client={client} defaultOpen={/[?&]section=backups\b/.test(window.location.hash)} />
      {/* Desktop only: renders nothing where there is no updater (the web host). */}
      <UpdateSettingsSection client={client} />
    </section>
  );
}

interface SettingsFormProps {
  client: BackendClient;
  settings: Settings;
  onSaved: () => void;
}

function SettingsForm({ client, settings, onSaved }: SettingsFormProps) {
  const errors = useFieldErrors();
  const [baseline, setBaseline] = useState(settings);
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const nowMs = useNow();

  // Settings changed elsewhere (another window, a sync): follow them unless the user is mid-edit.
  if (settings !== baseline) {
    setBaseline(settings);
    if (sameValue(draft, draftOf(baseline))) setDraft(draftOf(settings));
  }

  const dirty = !sameValue(fieldsOf(draft, settings).fields, fieldsOf(draftOf(settings), settings).fields);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setNotice(null);
    errors.clear(key);
    if (key === 'timelineStart') errors.clear('timelineEnd');
  };

  /** Switching the unit converts the speed being typed, so it still says the same speed. */
  const setUnit = (unit: DistanceUnit) => {
    setDraft((d) => {
      const kmh = speedKmh(d.travelSpeedKmh, d.distanceUnit, settings);
      return { ...d, distanceUnit: unit, travelSpeedKmh: kmh === null ? d.travelSpeedKmh : speedText(kmh, unit) };
    });
    setNotice(null);
    errors.clear('distanceUnit');
    errors.clear('travelSpeedKmh');
  };

  const revert = () => {
    setDraft(draftOf(settings));
    errors.clear();
    setNotice(null);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const { fields, errors: local } = fieldsOf(draft, settings);
    if (errors.showLocal(local)) return;
    const patch = changedFields(settings, fields);
    if (Object.keys(patch).length === 0) {
      errors.clear();
      setNotice('No changes to save.');
      return;
    }
    setBusy(true);
    const result = await runCommand(client, 'updateSettings', patch);
    setBusy(false);
    if (!result.ok) {
      // The backend checks "end after start" only once every field is valid; say it now as well.
      errors.showError({ ...result.error, fieldErrors: { ...settingsCrossFieldErrors(fields), ...result.error.fieldErrors } });
      setNotice(null);
      return;
    }
    errors.clear();
    setDraft(draftOf(fields));
    setNotice('Settings saved.');
    onSaved();
  };

  const timeText = (key: 'timelineStart' | 'timelineEnd' | 'dailyEmailTime') => (c: ControlProps) => (
    <input
      {...c}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder="HH:MM"
      maxLength={5}
      className="set-time"
      value={draft[key]}
      onChange={(e) => set(key, e.target.value)}
      onBlur={(e) => {
        const t = normalizeTime(e.target.value);
        if (t !== draft[key]) set(key, t);
      }}
    />
  );
  const checkbox = (key: 'autoResize' | 'selfDispatch' | 'notifyProvidersByDefault' | 'notifyCustomersByDefault') => (c: ControlProps) => (
    <input {...c} type="checkbox" checked={draft[key]} onChange={(e) => set(key, e.target.checked)} />
  );
  const now = zoneNow(draft.timeZone.trim(), nowMs);

  return (
    <FieldErrorsContext value={errors}>
      <form className="adm-form set-form" noValidate aria-label="Organization settings" onSubmit={(e) => void submit(e)} onKeyDown={formKeyDown(revert)}>
        <FormMessage />
        {notice ? (
          <p className="adm-notice" role="status">
            {notice}
          </p>
        ) : null}

        <FieldGroup legend="Organization" path="organization" className="set-group">
          <div className="adm-form-grid">
            <Field label="Organization name" path="name">
              {(c) => <input {...c} type="text" autoComplete="organization" maxLength={TEXT_LIMITS.name} value={draft.name} onChange={(e) => set('name', e.target.value)} />}
            </Field>
            <Field
              label="Time zone"
              path="timeZone"
              hint={
                <>
                  IANA name, e.g. America/Chicago. Every date and time in Crewline (board, jobs, working hours, time off, the daily
                  email) is in this zone.{now ? ` Now there: ${now}.` : ''}
                </>
              }
            >
              {(c) => <TimeZoneInput control={c} value={draft.timeZone} onChange={(zone) => set('timeZone', zone)} />}
            </Field>
            <Field label="Clock" path="timeFormat" hint="How times read on the board, route sheets, the technician page and in emails and texts.">
              {(c) => <TimeFormatSelect control={c} value={draft.timeFormat} onChange={(f) => set('timeFormat', f)} />}
            </Field>
          </div>
        </FieldGroup>

        <div className="set-group">
          <WeeklyHoursEditor
            path="defaultWeeklyHours"
            legend="Usual working week"
            value={draft.defaultWeeklyHours}
            onChange={(defaultWeeklyHours) => {
              setDraft((d) => ({ ...d, defaultWeeklyHours }));
              setNotice(null);
            }}
            onEdited={(path) => errors.clear(path)}
          />
          <p className="adm-field-hint">New providers start with these hours; existing providers keep theirs.</p>
        </div>

        <FieldGroup legend="Board" path="board" className="set-group">
          <div className="adm-form-grid">
            <Field label="Timeline starts" path="timelineStart" hint="HH:MM, first hour shown on the board.">
              {timeText('timelineStart')}
            </Field>
            <Field label="Timeline ends" path="timelineEnd" hint="HH:MM (24:00 = midnight).">
              {timeText('timelineEnd')}
            </Field>
            <Field
              label="Auto-resize team jobs"
              path="autoResize"
              inline
              className="adm-span-all"
              hint="When on, a job occupies each technician for labor hours ÷ number of assignees, and conflicts are judged on those spans."
            >
              {checkbox('autoResize')}
            </Field>
            <Field
              label="Technician self-dispatch"
              path="selfDispatch"
              inline
              className="adm-span-all"
              hint="When on, technicians can claim an available (dated, unassigned) job from the field app; it is assigned and dispatched in one step."
            >
              {checkbox('selfDispatch')}
            </Field>
            <Field
              label="Create recurring visits … weeks ahead"
              path="recurrenceHorizonWeeks"
              hint="Repeating jobs get their visits on the board this far ahead (1–52 weeks); each desktop adds the next ones as days pass."
            >
              {(c) => (
                <input {...c} type="number" min={1} max={52} step={1} value={draft.recurrenceHorizonWeeks} onChange={(e) => set('recurrenceHorizonWeeks', e.target.value)} />
              )}
            </Field>
          </div>
        </FieldGroup>

        <FieldGroup legend="Notifications" path="notifications" className="set-group">
          <div className="adm-form-grid">
            <Field label="Daily schedule email at" path="dailyEmailTime" hint="HH:MM in the organization's zone; each provider gets their day once.">
              {timeText('dailyEmailTime')}
            </Field>
            <Field label="Notify providers by default" path="notifyProvidersByDefault" inline className="adm-span-all" hint="Pre-ticks “notify providers” when saving board changes.">
              {checkbox('notifyProvidersByDefault')}
            </Field>
            <Field label="Notify customers by default" path="notifyCustomersByDefault" inline className="adm-span-all" hint="Pre-ticks “notify customers” when saving board changes.">
              {checkbox('notifyCustomersByDefault')}
            </Field>
          </div>
        </FieldGroup>

        <FieldGroup legend="Route sheets" path="routeSheets" className="set-group">
          <div className="adm-form-grid">
            <Field label="Distances in" path="distanceUnit" hint="Route sheets show distances, and this form the travel speed, in this unit.">
              {(c) => <DistanceUnitSelect control={c} value={draft.distanceUnit} onChange={setUnit} />}
            </Field>
            <Field
              label={`Average travel speed (${speedUnitLabel(draft.distanceUnit)})`}
              path="travelSpeedKmh"
              hint={`Door to door, traffic included; about ${formatSpeed(30, draft.distanceUnit)} in a city.`}
            >
              {(c) => (
                <input {...c} type="text" inputMode="decimal" autoComplete="off" value={draft.travelSpeedKmh} onChange={(e) => set('travelSpeedKmh', e.target.value)} />
              )}
            </Field>
            <Field
              label="Road distance factor"
              path="travelDistanceFactor"
              hint="Roads are longer than the straight line between two stops: 1.3 means 30% longer. Route sheets label their travel times as estimates."
            >
              {(c) => (
                <input
                  {...c}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  value={draft.travelDistanceFactor}
                  onChange={(e) => set('travelDistanceFactor', e.target.value)}
                />
              )}
            </Field>
          </div>
        </FieldGroup>

        <FieldGroup legend="Schedule assistant" path="assistant" className="set-group">
          <div className="adm-form-grid">
            <Field label="Fill a day: weight of travel" path="assistantTravelWeight" hint="0–10. How much each kilometre of driving counts when the assistant fills a day.">
              {(c) => (
                <input {...c} type="text" inputMode="decimal" autoComplete="off" value={draft.assistantTravelWeight} onChange={(e) => set('assistantTravelWeight', e.target.value)} />
              )}
            </Field>
            <Field label="Fill a day: weight of balanced load" path="assistantBalanceWeight" hint="0–10. How much an uneven day (some technicians full, others idle) counts; 0 ignores it.">
              {(c) => (
                <input {...c} type="text" inputMode="decimal" autoComplete="off" value={draft.assistantBalanceWeight} onChange={(e) => set('assistantBalanceWeight', e.target.value)} />
              )}
            </Field>
          </div>
        </FieldGroup>

        <FieldGroup legend="Data and licence" path="data" className="set-group">
          <div className="adm-form-grid">
            <Field label="Archive closed jobs after (days)" path="archiveAfterDays" hint="Completed or cancelled jobs older than this become read-only archive rows.">
              {(c) => <input {...c} type="number" min={1} max={3650} step={1} value={draft.archiveAfterDays} onChange={(e) => set('archiveAfterDays', e.target.value)} />}
            </Field>
            <Field
              label="FullCalendar licence key"
              path="calendarLicenseKey"
              className="adm-span-all"
              hint={
                <>
                  The board uses FullCalendar&rsquo;s premium timeline. Crewline is AGPL-licensed open source, so by default it uses the AGPL key (
                  <code>{AGPL_CALENDAR_KEY}</code>). If your organization has bought a commercial FullCalendar Premium licence, enter that
                  key here instead.
                </>
              }
            >
              {(c) => (
                <div className="set-key-row">
                  <input {...c} type="text" autoComplete="off" spellCheck={false} maxLength={TEXT_LIMITS.licenseKey} value={draft.calendarLicenseKey} onChange={(e) => set('calendarLicenseKey', e.target.value)} />
                  <Button small disabled={draft.calendarLicenseKey === AGPL_CALENDAR_KEY} onClick={() => set('calendarLicenseKey', AGPL_CALENDAR_KEY)}>
                    Use AGPL key
                  </Button>
                </div>
              )}
            </Field>
          </div>
        </FieldGroup>

        <div className="adm-actions">
          <Button variant="primary" type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </Button>
          <Button disabled={!dirty || busy} onClick={revert}>
            Revert
          </Button>
          {dirty ? <span className="adm-muted">Unsaved changes</span> : null}
        </div>
      </form>
    </FieldErrorsContext>
  );
}
