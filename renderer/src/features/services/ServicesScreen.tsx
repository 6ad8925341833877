import { useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { useBackendQuery } from '../forms/backend';
import { Field } from '../forms/Field';
import { ExportCsvButton } from '../import/ExportCsvButton';
import { ImportButton } from '../import/ImportButton';
import { ServiceForm } from './ServiceForm';
import './services.css';
import { Button } from '../../components/Button.tsx';

export interface ServicesScreenProps {
  client: BackendClient;
}

type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;

const hours = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** Services (kinds of job with their defaults): list, plus the create/edit panel. */
export function ServicesScreen({ client }: ServicesScreenProps) {
  const services = useBackendQuery(client, 'services:list', {}, ['roster:changed']);
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: true }, ['roster:changed']);
  const [search, setSearch] = useState('');
  const [showInactive, setShowInactive] = useState(true);
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const all = useMemo(() => services.data ?? [], [services.data]);
  const q = search.trim().toLowerCase();
  const visible = useMemo(
    () =>
      all
        .filter((s) => (showInactive || s.active) && (!q || [s.name, ...s.requiredSkills].some((t) => t.toLowerCase().includes(q))))
        .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name)),
    [all, showInactive, q],
  );
  const skillSuggestions = useMemo(
    () =>
      [...new Set([...(providers.data ?? []).flatMap((p) => p.skills), ...all.flatMap((s) => s.requiredSkills)])].sort((a, b) =>
        a.localeCompare(b),
      ),
    [providers.data, all],
  );
  const current = editing?.kind === 'edit' ? all.find((s) => s.id === editing.id) : undefined;

  const open = (next: Editing) => {
    setNotice(null);
    setEditing(next);
  };
  const onSaved = ({ name, created }: { name: string; created: boolean }) => {
    services.reload();
    setEditing(null);
    setNotice(created ? `Created ${name}.` : `Saved ${name}.`);
  };

  return (
    <section className="adm-screen svc-screen" aria-labelledby="svc-screen-title">
      <header className="adm-header">
        <h1 id="svc-screen-title">Services</h1>
        <div className="adm-toolbar" role="search">
          <Field label="Search services" path="search" hideLabel>
            {(c) => <input {...c} type="search" placeholder="Search name or skill…" value={search} onChange={(e) => setSearch(e.target.value)} />}
          </Field>
          <Field label="Show inactive" path="showInactive" inline>
            {(c) => <input {...c} type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />}
          </Field>
          <Button variant="primary" onClick={() => open({ kind: 'new' })}>
            New service
          </Button>
          <ImportButton kind="services" />
          <ExportCsvButton client={client} kind="services" />
        </div>
      </header>
      {notice ? (
        <p className="adm-notice" role="status">
          {notice}
        </p>
      ) : null}
      {services.error ? (
        <p className="adm-load-error" role="alert">
          Could not load services: {services.error.message}
        </p>
      ) : null}
      <div className={editing ? 'adm-body adm-body--with-panel' : 'adm-body'}>
        <div className="adm-list">
          <table className="adm-table svc-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="adm-num">
                  Duration
                </th>
                <th scope="col" className="adm-num">
                  Labor h
                </th>
                <th scope="col" className="adm-num">
                  Team
                </th>
                <th scope="col">Required skills</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((s) => (
                <tr
                  key={s.id}
                  data-service-id={s.id}
                  tabIndex={0}
                  aria-selected={editing?.kind === 'edit' && editing.id === s.id}
                  className={s.active ? undefined : 'adm-row--inactive'}
                  onClick={() => open({ kind: 'edit', id: s.id })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      open({ kind: 'edit', id: s.id });
                    }
                  }}
                >
                  <td className="svc-name">{s.name}</td>
                  <td className="adm-num">{s.durationMinutes} min</td>
                  <td className="adm-num">{hours(s.laborHours)}</td>
                  <td className="adm-num">{s.teamSize}</td>
                  <td>
                    <span className="adm-chips">
                      {s.requiredSkills.map((k) => (
                        <span key={k} className="adm-badge">
                          {k}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>
                    <span className={s.active ? 'adm-badge adm-badge--on' : 'adm-badge adm-badge--off'}>{s.active ? 'Active' : 'Inactive'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {services.loading ? <p className="adm-empty">Loading…</p> : null}
          {!services.loading && visible.length === 0 ? (
            <p className="adm-empty">{all.length === 0 ? 'No services yet.' : 'No services match.'}</p>
          ) : null}
        </div>
        {editing ? (
          <aside className="adm-panel svc-panel" aria-label={editing.kind === 'new' ? 'New service' : 'Edit service'}>
            {editing.kind === 'new' ? (
              <>
                <h2>New service</h2>
                <ServiceForm key="new" client={client} skillSuggestions={skillSuggestions} onCancel={() => open(null)} onSaved={onSaved} />
              </>
            ) : current ? (
              <>
                <h2>{current.name}</h2>
                <ServiceForm key={current.id} client={client} service={current} skillSuggestions={skillSuggestions} onCancel={() => open(null)} onSaved={onSaved} />
              </>
            ) : (
              <p className="adm-muted">{services.loading ? 'Loading…' : 'This service was not found (it may have been removed).'}</p>
            )}
          </aside>
        ) : null}
      </div>
    </section>
  );
}
