import { useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { localDateOf } from '../../../../core/time';
import { useBackendQuery, useOrgSettings } from '../forms/backend';
import { Field } from '../forms/Field';
import type { SavedRecord } from '../forms/form-model';
import { initialRecordScreen, isSelected, openRecord, panelContent, recordSaved, visibleRecords, type Editing } from '../forms/record-screen';
import { RecordBody, RecordPanel, RecordScreen, RecordTable, RecordToolbar } from '../forms/RecordScreen';
import { ExportCsvButton } from '../import/ExportCsvButton';
import { ImportButton } from '../import/ImportButton';
import { ResendDailyButton } from '../notifications/ResendDailyButton';
import { LostWriteNotice, LostWriteRowMark, useRosterLostWrites } from '../sync/RosterLostWrites';
import { CalendarFeedPanel } from './CalendarFeedPanel';
import { ProviderForm } from './ProviderForm';
import { TimeOffEditor } from './TimeOffEditor';
import { consoleClock } from '../../clock.ts';
import './providers.css';

export interface ProvidersScreenProps {
  client: BackendClient;
  /** Open this provider's editor first (e.g. from a search hit or the board's row header). */
  initialProviderId?: string;
}

/** A created provider stays open: time off is added to a saved provider. */
const keepCreatedOpen = (name: string) => `Created ${name}. You can add time off below.`;

/** Service providers (technicians): list with search and "Show inactive", plus the create/edit panel. */
export function ProvidersScreen({ client, initialProviderId }: ProvidersScreenProps) {
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: true }, ['roster:changed']);
  const settings = useOrgSettings(client);
  const lostWrites = useRosterLostWrites(client, 'providers');
  const [search, setSearch] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [screen, setScreen] = useState(() => initialRecordScreen(initialProviderId));

  const all = useMemo(() => providers.data ?? [], [providers.data]);
  const visible = useMemo(
    () =>
      visibleRecords(all, {
        search,
        searchable: (p) => [p.name, p.email, p.phone, p.address, p.chatHandle, ...p.skills],
        active: (p) => p.active,
        showInactive,
        compare: (a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name),
      }),
    [all, showInactive, search],
  );
  const inactiveCount = all.filter((p) => !p.active).length;
  const skillSuggestions = useMemo(() => [...new Set(all.flatMap((p) => p.skills))].sort((a, b) => a.localeCompare(b)), [all]);
  const panel = panelContent(screen, all, providers.loading);
  const timeZone = settings.data?.timeZone;

  const open = (next: Editing) => setScreen((s) => openRecord(s, next));
  const onSaved = (saved: SavedRecord) => {
    if (saved.created) providers.reload();
    setScreen((s) => recordSaved(s, saved, { keepCreatedOpen }));
  };

  return (
    <RecordScreen
      prefix="prov"
      title="Service providers"
      notice={screen.notice}
      loadError={{ what: 'providers', error: providers.error }}
      toolbar={
        <>
          <RecordToolbar
            searchLabel="Search providers"
            placeholder="Search name, skill, phone…"
            search={search}
            onSearch={setSearch}
            newLabel="New provider"
            onNew={() => open({ kind: 'new' })}
          >
            <Field label={`Show inactive${inactiveCount ? ` (${inactiveCount})` : ''}`} path="showInactive" inline>
              {(c) => <input {...c} type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />}
            </Field>
          </RecordToolbar>
          <ImportButton kind="providers" />
          <ExportCsvButton client={client} kind="providers" />
        </>
      }
    >
      <RecordBody
        panel={
          panel ? (
            <RecordPanel className="prov-panel" label={panel.kind === 'new' ? 'New service provider' : 'Edit service provider'}>
              {panel.kind === 'new' ? (
                <>
                  <h2>New service provider</h2>
                  <ProviderForm
                    key="new"
                    client={client}
                    providerCount={all.length}
                    usualWeek={settings.data?.defaultWeeklyHours}
                    skillSuggestions={skillSuggestions}
                    onCancel={() => open(null)}
                    onSaved={onSaved}
                  />
                  <p className="adm-field-hint">Time off can be added once the provider is created.</p>
                </>
              ) : panel.kind === 'record' ? (
                <>
                  <h2>
                    <span className="adm-swatch" style={{ backgroundColor: panel.record.color }} aria-hidden="true" />
                    {panel.record.name}
                    {panel.record.active ? null : <span className="adm-badge adm-badge--off prov-title-badge">Inactive</span>}
                  </h2>
                  <LostWriteNotice marks={lostWrites.of(panel.record.id)} onDismiss={() => lostWrites.dismiss(panel.record.id)} />
                  <ProviderForm
                    key={panel.record.id}
                    client={client}
                    provider={panel.record}
                    skillSuggestions={skillSuggestions}
                    onCancel={() => open(null)}
                    onSaved={onSaved}
                  />
                  {timeZone ? <TimeOffEditor client={client} provider={panel.record} timeZone={timeZone} onCancel={() => open(null)} /> : null}
                  <CalendarFeedPanel client={client} providerId={panel.record.id} providerName={panel.record.name} />
                  {timeZone ? (
                    <ResendDailyButton client={client} providerId={panel.record.id} today={localDateOf(consoleClock.now(), timeZone)} />
                  ) : null}
                </>
              ) : (
                <p className="adm-muted">{panel.kind === 'loading' ? 'Loading…' : 'This provider was not found (it may have been removed).'}</p>
              )}
            </RecordPanel>
          ) : null
        }
      >
        <RecordTable
          className="prov-table"
          columns={['Name', 'Skills', 'Status', 'Phone']}
          rows={visible}
          id={(p) => p.id}
          rowProps={(p) => ({ 'data-provider-id': p.id, className: p.active ? undefined : 'adm-row--inactive' })}
          onOpen={(id) => open({ kind: 'edit', id })}
          selected={(id) => isSelected(screen.editing, id)}
          cells={(p) => (
            <>
              <td>
                <span className="prov-name">
                  <span className="adm-swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                  {p.name}
                  <LostWriteRowMark count={lostWrites.of(p.id).length} />
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
            </>
          )}
          loading={providers.loading}
          empty={all.length === 0 ? 'No service providers yet.' : search.trim() ? `No providers match “${search.trim()}”.` : 'No active providers.'}
        />
      </RecordBody>
    </RecordScreen>
  );
}
