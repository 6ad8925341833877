import { useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import type { Provider } from '../../../../core/model';
import { useBackendQuery, useOrgSettings } from '../forms/backend';
import { Field } from '../forms/Field';
import { ExportCsvButton } from '../import/ExportCsvButton';
import { ImportButton } from '../import/ImportButton';
import { localDateOf } from '../../../../core/time';
import { ResendDailyButton } from '../notifications/ResendDailyButton';
import { CalendarFeedPanel } from './CalendarFeedPanel';
import { ProviderForm } from './ProviderForm';
import { TimeOffEditor } from './TimeOffEditor';
import { consoleClock } from '../../clock.ts';
import './providers.css';
import { Button } from '../../components/Button.tsx';

export interface ProvidersScreenProps {
  client: BackendClient;
  /** Open this provider's editor first (e.g. from a search hit or the board's row header). */
  initialProviderId?: string;
}

type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;

const matches = (p: Provider, q: string) =>
  !q ||
  [p.name, p.email, p.phone, p.address, p.chatHandle, ...p.skills].some((s) => s.toLowerCase().includes(q));

/** Service providers (technicians): list with search and "Show inactive", plus the create/edit panel. */
export function ProvidersScreen({ client, initialProviderId }: ProvidersScreenProps) {
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: true }, ['roster:changed']);
  const settings = useOrgSettings(client);
  const [search, setSearch] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<Editing>(initialProviderId ? { kind: 'edit', id: initialProviderId } : null);
  const [notice, setNotice] = useState<string | null>(null);
  const [justCreated, setJustCreated] = useState<string | null>(null);

  const all = useMemo(() => providers.data ?? [], [providers.data]);
  const q = search.trim().toLowerCase();
  const visible = useMemo(
    () =>
      all
        .filter((p) => (showInactive || p.active) && matches(p, q))
        .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name)),
    [all, showInactive, q],
  );
  const inactiveCount = all.filter((p) => !p.active).length;
  const skillSuggestions = useMemo(() => [...new Set(all.flatMap((p) => p.skills))].sort((a, b) => a.localeCompare(b)), [all]);
  const current = editing?.kind === 'edit' ? all.find((p) => p.id === editing.id) : undefined;
  const timeZone = settings.data?.timeZone;

  const open = (next: Editing) => {
    setNotice(null);
    setEditing(next);
  };

  return (
    <section className="adm-screen prov-screen" aria-labelledby="prov-screen-title">
      <header className="adm-header">
        <h1 id="prov-screen-title">Service providers</h1>
        <div className="adm-toolbar" role="search">
          <Field label="Search providers" path="search" hideLabel>
            {(c) => <input {...c} type="search" placeholder="Search name, skill, phone…" value={search} onChange={(e) => setSearch(e.target.value)} />}
          </Field>
          <Field label={`Show inactive${inactiveCount ? ` (${inactiveCount})` : ''}`} path="showInactive" inline>
            {(c) => <input {...c} type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />}
          </Field>
          <Button variant="primary" onClick={() => open({ kind: 'new' })}>
            New provider
          </Button>
          <ImportButton kind="providers" />
          <ExportCsvButton client={client} kind="providers" />
        </div>
      </header>
      {notice ? (
        <p className="adm-notice" role="status">
          {notice}
        </p>
      ) : null}
      {providers.error ? (
        <p className="adm-load-error" role="alert">
          Could not load providers: {providers.error.message}
        </p>
      ) : null}
      <div className={editing ? 'adm-body adm-body--with-panel' : 'adm-body'}>
        <div className="adm-list">
          <table className="adm-table prov-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Skills</th>
                <th scope="col">Status</th>
                <th scope="col">Phone</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((p) => (
                <tr
                  key={p.id}
                  data-provider-id={p.id}
                  tabIndex={0}
                  aria-selected={editing?.kind === 'edit' && editing.id === p.id}
                  className={p.active ? undefined : 'adm-row--inactive'}
                  onClick={() => open({ kind: 'edit', id: p.id })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      open({ kind: 'edit', id: p.id });
                    }
                  }}
                >
                  <td>
                    <span className="prov-name">
                      <span className="adm-swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                      {p.name}
                    </span>
                  </td>
                  <td>
                    <span className="adm-chips">
                      {p.skills.map((s) => (
                        <span key={s} className="adm-badge">
                          {s}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>
                    <span className={p.active ? 'adm-badge adm-badge--on' : 'adm-badge adm-badge--off'}>{p.active ? 'Active' : 'Inactive'}</span>
                  </td>
                  <td className="prov-phone">{p.phone}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!providers.loading && visible.length === 0 ? (
            <p className="adm-empty">
              {all.length === 0 ? 'No service providers yet.' : q ? `No providers match “${search.trim()}”.` : 'No active providers.'}
            </p>
          ) : null}
          {providers.loading ? <p className="adm-empty">Loading…</p> : null}
        </div>
        {editing ? (
          <aside className="adm-panel prov-panel" aria-label={editing.kind === 'new' ? 'New service provider' : 'Edit service provider'}>
            {editing.kind === 'new' ? (
              <>
                <h2>New service provider</h2>
                <ProviderForm
                  key="new"
                  client={client}
                  providerCount={all.length}
                  usualWeek={settings.data?.defaultWeeklyHours}
                  skillSuggestions={skillSuggestions}
                  onCancel={() => open(null)}
                  onSaved={({ id, name }) => {
                    providers.reload();
                    setJustCreated(id);
                    setEditing({ kind: 'edit', id });
                    setNotice(`Created ${name}. You can add time off below.`);
                  }}
                />
                <p className="adm-field-hint">Time off can be added once the provider is created.</p>
              </>
            ) : current ? (
              <>
                <h2>
                  <span className="adm-swatch" style={{ backgroundColor: current.color }} aria-hidden="true" />
                  {current.name}
                  {current.active ? null : <span className="adm-badge adm-badge--off prov-title-badge">Inactive</span>}
                </h2>
                <ProviderForm
                  key={current.id}
                  client={client}
                  provider={current}
                  skillSuggestions={skillSuggestions}
                  onCancel={() => open(null)}
                  onSaved={({ name }) => {
                    setEditing(null);
                    setNotice(`Saved ${name}.`);
                  }}
                />
                {timeZone ? <TimeOffEditor client={client} provider={current} timeZone={timeZone} onCancel={() => open(null)} /> : null}
                <CalendarFeedPanel client={client} providerId={current.id} providerName={current.name} />
                {timeZone ? <ResendDailyButton client={client} providerId={current.id} today={localDateOf(consoleClock.now(), timeZone)} /> : null}
              </>
            ) : (
              <p className="adm-muted">
                {providers.loading || editing.id === justCreated ? 'Loading…' : 'This provider was not found (it may have been removed).'}
              </p>
            )}
          </aside>
        ) : null}
      </div>
    </section>
  );
}
