import { useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { useBackendQuery } from '../forms/backend';
import { Field } from '../forms/Field';
import type { SavedRecord } from '../forms/form-model';
import { initialRecordScreen, isSelected, openRecord, panelContent, recordSaved, visibleRecords, type Editing } from '../forms/record-screen';
import { RecordBody, RecordPanel, RecordScreen, RecordTable, RecordToolbar } from '../forms/RecordScreen';
import { ExportCsvButton } from '../import/ExportCsvButton';
import { ImportButton } from '../import/ImportButton';
import { LostWriteNotice, LostWriteRowMark, useRosterLostWrites } from '../sync/RosterLostWrites';
import { ServiceForm } from './ServiceForm';
import './services.css';

export interface ServicesScreenProps {
  client: BackendClient;
}

const hours = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** Services (kinds of job with their defaults): list, plus the create/edit panel. */
export function ServicesScreen({ client }: ServicesScreenProps) {
  const services = useBackendQuery(client, 'services:list', {}, ['roster:changed']);
  const lostWrites = useRosterLostWrites(client, 'services');
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: true }, ['roster:changed']);
  const [search, setSearch] = useState('');
  const [showInactive, setShowInactive] = useState(true);
  const [screen, setScreen] = useState(() => initialRecordScreen());

  const all = useMemo(() => services.data ?? [], [services.data]);
  const visible = useMemo(
    () =>
      visibleRecords(all, {
        search,
        searchable: (s) => [s.name, ...s.requiredSkills],
        active: (s) => s.active,
        showInactive,
        compare: (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name),
      }),
    [all, showInactive, search],
  );
  const skillSuggestions = useMemo(
    () =>
      [...new Set([...(providers.data ?? []).flatMap((p) => p.skills), ...all.flatMap((s) => s.requiredSkills)])].sort((a, b) =>
        a.localeCompare(b),
      ),
    [providers.data, all],
  );
  const panel = panelContent(screen, all, services.loading);

  const open = (next: Editing) => setScreen((s) => openRecord(s, next));
  const onSaved = (saved: SavedRecord) => {
    services.reload();
    setScreen((s) => recordSaved(s, saved));
  };

  return (
    <RecordScreen
      prefix="svc"
      title="Services"
      notice={screen.notice}
      loadError={{ what: 'services', error: services.error }}
      toolbar={
        <>
          <RecordToolbar
            searchLabel="Search services"
            placeholder="Search name or skill…"
            search={search}
            onSearch={setSearch}
            newLabel="New service"
            onNew={() => open({ kind: 'new' })}
          >
            <Field label="Show inactive" path="showInactive" inline>
              {(c) => <input {...c} type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />}
            </Field>
          </RecordToolbar>
          <ImportButton kind="services" />
          <ExportCsvButton client={client} kind="services" />
        </>
      }
    >
      <RecordBody
        panel={
          panel ? (
            <RecordPanel className="svc-panel" label={panel.kind === 'new' ? 'New service' : 'Edit service'}>
              {panel.kind === 'new' ? (
                <>
                  <h2>New service</h2>
                  <ServiceForm key="new" client={client} skillSuggestions={skillSuggestions} onCancel={() => open(null)} onSaved={onSaved} />
                </>
              ) : panel.kind === 'record' ? (
                <>
                  <h2>{panel.record.name}</h2>
                  <LostWriteNotice marks={lostWrites.of(panel.record.id)} onDismiss={() => lostWrites.dismiss(panel.record.id)} />
                  <ServiceForm
                    key={panel.record.id}
                    client={client}
                    service={panel.record}
                    skillSuggestions={skillSuggestions}
                    onCancel={() => open(null)}
                    onSaved={onSaved}
                  />
                </>
              ) : (
                <p className="adm-muted">{panel.kind === 'loading' ? 'Loading…' : 'This service was not found (it may have been removed).'}</p>
              )}
            </RecordPanel>
          ) : null
        }
      >
        <RecordTable
          className="svc-table"
          columns={['Name', { label: 'Duration', numeric: true }, { label: 'Labor h', numeric: true }, { label: 'Team', numeric: true }, 'Required skills', 'Status']}
          rows={visible}
          id={(s) => s.id}
          rowProps={(s) => ({ 'data-service-id': s.id, className: s.active ? undefined : 'adm-row--inactive' })}
          onOpen={(id) => open({ kind: 'edit', id })}
          selected={(id) => isSelected(screen.editing, id)}
          cells={(s) => (
            <>
              <td className="svc-name">
                {s.name}
                <LostWriteRowMark count={lostWrites.of(s.id).length} />
              </td>
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
            </>
          )}
          loading={services.loading}
          empty={all.length === 0 ? 'No services yet.' : 'No services match.'}
        />
      </RecordBody>
    </RecordScreen>
  );
}
