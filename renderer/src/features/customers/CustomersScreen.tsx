import { useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import type { Customer } from '../../../../core/model';
import { useBackendQuery } from '../forms/backend';
import { Field } from '../forms/Field';
import { ExportCsvButton } from '../import/ExportCsvButton';
import { ImportButton } from '../import/ImportButton';
import { CustomerForm } from './CustomerForm';
import './customers.css';
import { Button } from '../../components/Button.tsx';

export interface CustomersScreenProps {
  client: BackendClient;
  /** Open this customer's editor first (e.g. from a search hit). */
  initialCustomerId?: string;
}

type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;

const matches = (c: Customer, q: string) => !q || [c.name, c.email, c.phone, c.address, c.notes].some((s) => s.toLowerCase().includes(q));

const channelText = (c: Customer) =>
  [c.channels.email ? 'Email' : null, c.channels.sms ? 'SMS' : null].filter(Boolean).join(', ') || 'None';

/** Customers: list with search, plus the create/edit panel. */
export function CustomersScreen({ client, initialCustomerId }: CustomersScreenProps) {
  const customers = useBackendQuery(client, 'customers:list', {}, ['roster:changed']);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Editing>(initialCustomerId ? { kind: 'edit', id: initialCustomerId } : null);
  const [notice, setNotice] = useState<string | null>(null);

  const all = useMemo(() => customers.data ?? [], [customers.data]);
  const q = search.trim().toLowerCase();
  const visible = useMemo(() => all.filter((c) => matches(c, q)).sort((a, b) => a.name.localeCompare(b.name)), [all, q]);
  const current = editing?.kind === 'edit' ? all.find((c) => c.id === editing.id) : undefined;

  const open = (next: Editing) => {
    setNotice(null);
    setEditing(next);
  };
  const onSaved = ({ name, created }: { name: string; created: boolean }) => {
    customers.reload();
    setEditing(null);
    setNotice(created ? `Created ${name}.` : `Saved ${name}.`);
  };

  return (
    <section className="adm-screen cust-screen" aria-labelledby="cust-screen-title">
      <header className="adm-header">
        <h1 id="cust-screen-title">Customers</h1>
        <div className="adm-toolbar" role="search">
          <Field label="Search customers" path="search" hideLabel>
            {(c) => <input {...c} type="search" placeholder="Search name, address, phone…" value={search} onChange={(e) => setSearch(e.target.value)} />}
          </Field>
          <Button variant="primary" onClick={() => open({ kind: 'new' })}>
            New customer
          </Button>
          <ImportButton kind="customers" />
          <ExportCsvButton client={client} kind="customers" />
        </div>
      </header>
      {notice ? (
        <p className="adm-notice" role="status">
          {notice}
        </p>
      ) : null}
      {customers.error ? (
        <p className="adm-load-error" role="alert">
          Could not load customers: {customers.error.message}
        </p>
      ) : null}
      <div className={editing ? 'adm-body adm-body--with-panel' : 'adm-body'}>
        <div className="adm-list">
          <table className="adm-table cust-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Address</th>
                <th scope="col">Phone</th>
                <th scope="col">Email</th>
                <th scope="col">Notify by</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((c) => (
                <tr
                  key={c.id}
                  data-customer-id={c.id}
                  tabIndex={0}
                  aria-selected={editing?.kind === 'edit' && editing.id === c.id}
                  onClick={() => open({ kind: 'edit', id: c.id })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      open({ kind: 'edit', id: c.id });
                    }
                  }}
                >
                  <td className="cust-name">{c.name}</td>
                  <td>{c.address}</td>
                  <td className="cust-nowrap">{c.phone}</td>
                  <td>{c.email}</td>
                  <td className="cust-nowrap">{channelText(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {customers.loading ? <p className="adm-empty">Loading…</p> : null}
          {!customers.loading && visible.length === 0 ? (
            <p className="adm-empty">{all.length === 0 ? 'No customers yet.' : `No customers match “${search.trim()}”.`}</p>
          ) : null}
        </div>
        {editing ? (
          <aside className="adm-panel cust-panel" aria-label={editing.kind === 'new' ? 'New customer' : 'Edit customer'}>
            {editing.kind === 'new' ? (
              <>
                <h2>New customer</h2>
                <CustomerForm key="new" client={client} onCancel={() => open(null)} onSaved={onSaved} />
              </>
            ) : current ? (
              <>
                <h2>{current.name}</h2>
                <CustomerForm key={current.id} client={client} customer={current} onCancel={() => open(null)} onSaved={onSaved} />
              </>
            ) : (
              <p className="adm-muted">{customers.loading ? 'Loading…' : 'This customer was not found (it may have been removed).'}</p>
            )}
          </aside>
        ) : null}
      </div>
    </section>
  );
}
