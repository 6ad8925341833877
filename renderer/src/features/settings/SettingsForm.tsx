import { useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, settingsCrossFieldErrors, type Settings } from '../../../../core/model';
import { formatSpeed, speedUnitLabel, type DistanceUnit } from '../../../../core/units';
import { runCommand } from '../forms/backend';
import { Field, type ControlProps } from '../forms/Field';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors';
import { FieldGroup } from '../forms/FieldGroup';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import { TimeZoneInput } from '../forms/TimeZoneInput';
import { DistanceUnitSelect } from '../forms/DistanceUnitSelect';
import { changedFields, normalizeTime, sameValue } from '../forms/values';
import { useNow } from '../../clock.ts';
import { WeeklyHoursEditor } from '../providers/WeeklyHoursEditor';
import { TimeFormatSelect } from '../forms/TimeFormatSelect.tsx';
import { Button } from '../../components/Button.tsx';
import { AGPL_CALENDAR_KEY } from './calendar-key.ts';
import { draftOf, fieldsOf, speedKmh, speedText, zoneNow, type Draft } from './settings-draft.ts';

export interface SettingsFormProps {
  client: BackendClient;
  settings: Settings;
  onSaved: () => void;
}

/** The organization's settings as one form; only the changed ones are sent. */
export function SettingsForm({ client, settings, onSaved }: SettingsFormProps) {
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
