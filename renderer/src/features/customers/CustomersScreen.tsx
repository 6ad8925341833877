import { useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { listText } from '../../../../core/format';
import type { Customer } from '../../../../core/model';
import { useBackendQuery } from '../forms/backend';
import type { SavedRecord } from '../forms/form-model';
import { initialRecordScreen, isSelected, openRecord, panelContent, recordSaved, visibleRecords, type Editing } from '../forms/record-screen';
import { RecordBody, RecordPanel, RecordScreen, RecordTable, RecordToolbar } from '../forms/RecordScreen';
import { ExportCsvButton } from '../import/ExportCsvButton';
import { ImportButton } from '../import/ImportButton';
import { LostWriteNotice, LostWriteRowMark, useRosterLostWrites } from '../sync/RosterLostWrites';
import { CustomerForm } from './CustomerForm';
import './customers.css';

export interface CustomersScreenProps {
  client: BackendClient;
  /** Open this customer's editor first (e.g. from a search hit). */
  initialCustomerId?: string;
}

const channelText = (c: Customer) =>
  listText([c.channels.email ? 'Email' : null, c.channels.sms ? 'SMS' : null].filter((x): x is string => x !== null)) || 'None';

/** Customers: list with search, plus the create/edit panel. */
export function CustomersScreen({ client, initialCustomerId }: CustomersScreenProps) {
  const customers = useBackendQuery(client, 'customers:list', {}, ['roster:changed']);
  const lostWrites = useRosterLostWrites(client, 'customers');
  const [search, setSearch] = useState('');
  const [screen, setScreen] = useState(() => initialRecordScreen(initialCustomerId));

  const all = useMemo(() => customers.data ?? [], [customers.data]);
  const visible = useMemo(
    () =>
      visibleRecords(all, {
        search,
        searchable: (c) => [c.name, c.email, c.phone, c.address, c.notes],
        compare: (a, b) => a.name.localeCompare(b.name),
      }),
    [all, search],
  );
  const panel = panelContent(screen, all, customers.loading);

  const open = (next: Editing) => setScreen((s) => openRecord(s, next));
  const onSaved = (saved: SavedRecord) => {
    customers.reload();
    setScreen((s) => recordSaved(s, saved));
  };

  return (
    <RecordScreen
      prefix="cust"
      title="Customers"
      notice={screen.notice}
      loadError={{ what: 'customers', error: customers.error }}
      toolbar={
        <>
          <RecordToolbar
            searchLabel="Search customers"
            placeholder="Search name, address, phone…"
            search={search}
            onSearch={setSearch}
            newLabel="New customer"
            onNew={() => open({ kind: 'new' })}
          />
          <ImportButton kind="customers" />
          <ExportCsvButton client={client} kind="customers" />
        </>
      }
    >
      <RecordBody
        panel={
          panel ? (
            <RecordPanel className="cust-panel" label={panel.kind === 'new' ? 'New customer' : 'Edit customer'}>
              {panel.kind === 'new' ? (
                <>
                  <h2>New customer</h2>
                  <CustomerForm key="new" client={client} onCancel={() => open(null)} onSaved={onSaved} />
                </>
              ) : panel.kind === 'record' ? (
                <>
                  <h2>{panel.record.name}</h2>
                  <LostWriteNotice marks={lostWrites.of(panel.record.id)} onDismiss={() => lostWrites.dismiss(panel.record.id)} />
                  <CustomerForm key={panel.record.id} client={client} customer={panel.record} onCancel={() => open(null)} onSaved={onSaved} />
                </>
              ) : (
                <p className="adm-muted">{panel.kind === 'loading' ? 'Loading…' : 'This customer was not found (it may have been removed).'}</p>
              )}
            </RecordPanel>
          ) : null
        }
      >
        <RecordTable
          className="cust-table"
          columns={['Name', 'Address', 'Phone', 'Email', 'Notify by']}
          rows={visible}
          id={(c) => c.id}
          rowProps={(c) => ({ 'data-customer-id': c.id })}
          onOpen={(id) => open({ kind: 'edit', id })}
          selected={(id) => isSelected(screen.editing, id)}
          cells={(c) => (
            <>
              <td className="cust-name">
                {c.name}
                <LostWriteRowMark count={lostWrites.of(c.id).length} />
              </td>
              <td>{c.address}</td>
              <td className="cust-nowrap">{c.phone}</td>
              <td>{c.email}</td>
              <td className="cust-nowrap">{channelText(c)}</td>
            </>
          )}
          loading={customers.loading}
          empty={all.length === 0 ? 'No customers yet.' : `No customers match “${search.trim()}”.`}
        />
      </RecordBody>
    </RecordScreen>
  );
}
