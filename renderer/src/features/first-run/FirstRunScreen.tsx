import { useState, type FormEvent } from 'react';
import type { BackendClient, CompanySetup } from '../../../../core/api/contract';
import { TEXT_LIMITS, DEFAULT_SETTINGS } from '../../../../core/model';
import type { DistanceUnit } from '../../../../core/units';
import { request } from '../forms/backend';
import { Field } from '../forms/Field';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors';
import { FormMessage } from '../forms/FormMessage';
import { TimeZoneInput } from '../forms/TimeZoneInput';
import { DistanceUnitSelect } from '../forms/DistanceUnitSelect';
import { TimeFormatSelect } from '../forms/TimeFormatSelect';
import { timeFormatOfLocale } from '../../../../core/format';
import { WeeklyHoursEditor } from '../providers/WeeklyHoursEditor';
import { useSync } from '../sync/SyncContext';
import { workspaceStatus } from './workspace-status';
import '../providers/providers.css';
import './first-run.css';
import { Button } from '../../components/Button.tsx';

/** The zone this computer is set to: most offices dispatch in their own. */
function systemTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || DEFAULT_SETTINGS.timeZone;
  } catch {
    return DEFAULT_SETTINGS.timeZone;
  }
}

/** Miles where road signs use them (the United States, the United Kingdom, Liberia, Myanmar). */
export function likelyDistanceUnit(locale: string): DistanceUnit {
  const region = /[-_]([A-Za-z]{2})\b/.exec(locale)?.[1]?.toUpperCase();
  return region && ['US', 'GB', 'LR', 'MM'].includes(region) ? 'mi' : 'km';
}

/**
 * The first screen of an empty workspace: try the demo company, set up the user's own, or sign in to a
 * server where the company already is (the Sync dialog).
 */
export function FirstRunScreen({ client }: { client: BackendClient }) {
  const { openDialog } = useSync();
  const [demoBusy, setDemoBusy] = useState(false);
  const [demoError, setDemoError] = useState<string | null>(null);

  const startDemo = async () => {
    setDemoBusy(true);
    setDemoError(null);
    const started = await request(client, 'workspace:startDemo', {});
    setDemoBusy(false);
    if (started.ok) workspaceStatus.set(started.value.status);
    else setDemoError(started.error.message);
  };

  return (
    <section className="adm-screen fr-screen" aria-labelledby="fr-title" data-screen="first-run">
      <header className="fr-header">
        <h1 id="fr-title">Welcome to Crewline</h1>
        <p>This workspace is empty. Try Crewline with a demo company, or set up your own.</p>
      </header>
      <div className="fr-choices">
        <article className="fr-choice" aria-labelledby="fr-demo-title">
          <h2 id="fr-demo-title">Try the demo company</h2>
          <p>
            Northwind Home Services: a Chicago home-services company with 12 technicians, 80 customers and two weeks of jobs, including
            conflicts and an unassigned queue.
          </p>
          <p className="adm-muted">It is marked “Demo” everywhere. When you are ready, “Start my company” removes it and brings you back here.</p>
          <div className="adm-actions">
            <Button data-action="start-demo" disabled={demoBusy} onClick={() => void startDemo()}>
              {demoBusy ? 'Creating the demo…' : 'Try the demo company'}
            </Button>
          </div>
          {demoError ? (
            <p className="cl-error" role="alert">
              {demoError}
            </p>
          ) : null}
        </article>
        <article className="fr-choice fr-choice--main" aria-labelledby="fr-setup-title">
          <h2 id="fr-setup-title">Set up my company</h2>
          <CompanySetupForm client={client} />
        </article>
      </div>
      <p className="fr-sign-in">
        Your company already uses Crewline?{' '}
        <Button variant="link" data-action="first-run-sign-in" onClick={openDialog}>
          Sign in to its server
        </Button>{' '}
        and this workspace becomes your organization’s.
      </p>
    </section>
  );
}

function CompanySetupForm({ client }: { client: BackendClient }) {
  const errors = useFieldErrors();
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState<CompanySetup>(() => ({
    name: '',
    timeZone: systemTimeZone(),
    distanceUnit: likelyDistanceUnit(navigator.language),
    timeFormat: timeFormatOfLocale(navigator.language),
    defaultWeeklyHours: DEFAULT_SETTINGS.defaultWeeklyHours,
  }));
  const set = <K extends keyof CompanySetup>(key: K, value: CompanySetup[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    errors.clear(key);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const done = await request(client, 'workspace:setUpCompany', { ...draft, name: draft.name.trim(), timeZone: draft.timeZone.trim() });
    setBusy(false);
    if (!done.ok) {
      errors.showError(done.error);
      return;
    }
    workspaceStatus.set(done.value.status);
  };

  return (
    <FieldErrorsContext value={errors}>
      <form className="adm-form fr-form" noValidate aria-label="Set up my company" onSubmit={(e) => void submit(e)}>
        <FormMessage />
        <div className="adm-form-grid">
          <Field label="Company name" path="name">
            {(c) => (
              <input {...c} type="text" autoComplete="organization" maxLength={TEXT_LIMITS.name} autoFocus value={draft.name} onChange={(e) => set('name', e.target.value)} />
            )}
          </Field>
          <Field label="Time zone" path="timeZone" hint="Every date and time in Crewline is in this zone. Your computer’s is filled in.">
            {(c) => <TimeZoneInput control={c} value={draft.timeZone} onChange={(zone) => set('timeZone', zone)} />}
          </Field>
          <Field label="Distances in" path="distanceUnit">
            {(c) => <DistanceUnitSelect control={c} value={draft.distanceUnit} onChange={(unit) => set('distanceUnit', unit)} />}
          </Field>
          <Field label="Clock" path="timeFormat" hint="Your computer’s is filled in.">
            {(c) => <TimeFormatSelect control={c} value={draft.timeFormat ?? '24h'} onChange={(f) => set('timeFormat', f)} />}
          </Field>
        </div>
        <WeeklyHoursEditor
          path="defaultWeeklyHours"
          legend="Usual working week"
          value={draft.defaultWeeklyHours}
          onChange={(defaultWeeklyHours) => setDraft((d) => ({ ...d, defaultWeeklyHours }))}
          onEdited={(path) => errors.clear(path)}
        />
        <p className="adm-muted">New technicians start with these hours; each one’s can be changed on the Providers screen.</p>
        <div className="adm-actions">
          <Button variant="primary" type="submit" data-action="set-up-company" disabled={busy}>
            {busy ? 'Setting up…' : 'Set up my company'}
          </Button>
        </div>
      </form>
    </FieldErrorsContext>
  );
}
