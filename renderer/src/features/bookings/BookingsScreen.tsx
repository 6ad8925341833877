import { useEffect, useMemo, useState } from 'react';
import { countText } from '../../../../core/format.ts';
import type { BackendClient, BoardBooking, RequestInput } from '../../../../core/api/contract';
import type { Status } from '../../../../core/model';
import { useBackendQuery, useOrgSettings } from '../forms/backend';
import { Field } from '../forms/Field';
import { formatSpan, localDateEndInstant, localDateStartInstant } from '../forms/time-zone';
import { PRIORITY_LABELS, STATUS_LABELS, STATUS_OPTIONS } from './booking-labels';
import { NewBookingForm } from './NewBookingForm';
import './bookings.css';
import { Button } from '../../components/Button.tsx';

export interface BookingsScreenProps {
  client: BackendClient;
  /** Row click / Enter on a row: open the job (the lead's job panel). */
  onOpenBooking?: (id: string) => void;
}

interface Filters {
  text: string;
  status: '' | Status;
  providerId: string;
  /** Local dates (YYYY-MM-DD) in the organization's zone, both inclusive. */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { text: '', status: '', providerId: '', from: '', to: '' };
/** What `bookings:list` returns at most (electron/backend/store/queries.ts). */
const LIST_LIMIT = 500;

/** Debounced copy of a value, so typing in the search box queries once per pause. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** All bookings with filters (text, status, technician, date range in the org zone), plus "New booking". */
export function BookingsScreen({ client, onOpenBooking }: BookingsScreenProps) {
  const settings = useOrgSettings(client);
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: true }, ['roster:changed']);
  const customers = useBackendQuery(client, 'customers:list', {}, ['roster:changed']);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ id: string; title: string } | null>(null);
  const zone = settings.data?.timeZone;
  const text = useDebounced(filters.text.trim(), 250);

  const input = useMemo(() => {
    const q: RequestInput<'bookings:list'> = {};
    if (text) q.text = text;
    if (filters.status) q.status = filters.status;
    if (filters.providerId) q.providerId = filters.providerId;
    if (zone && filters.from) {
      const from = localDateStartInstant(filters.from, zone);
      if (from) q.from = from;
    }
    if (zone && filters.to) {
      const to = localDateEndInstant(filters.to, zone);
      if (to) q.to = to;
    }
    return q;
  }, [text, filters.status, filters.providerId, filters.from, filters.to, zone]);

  const bookings = useBackendQuery(client, 'bookings:list', input, ['schedule:changed', 'roster:changed', 'draft:changed']);

  const providerById = useMemo(() => new Map((providers.data ?? []).map((p) => [p.id, p])), [providers.data]);
  const customerById = useMemo(() => new Map((customers.data ?? []).map((c) => [c.id, c])), [customers.data]);
  const providerOptions = useMemo(
    () => [...(providers.data ?? [])].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name)),
    [providers.data],
  );
  const rows = bookings.data ?? [];
  // A visit of a repeating job shows its series' rule in words under its title.
  const rowIds = useMemo(() => rows.map((b) => b.id), [rows]);
  const rules = useBackendQuery(client, 'series:rulesFor', { ids: rowIds }, ['schedule:changed']);
  const filtered = Object.values(filters).some(Boolean);
  const rangeBackwards = filters.from && filters.to && filters.to < filters.from;

  const setFilter = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  const assigneeNames = (b: BoardBooking) =>
    (b.slot?.assignees ?? []).map((id) => {
      const p = providerById.get(id);
      return { id, name: p ? p.name : 'Unknown provider', color: p?.color, inactive: p ? !p.active : false };
    });

  return (
    <section className="adm-screen bk-screen" aria-labelledby="bk-screen-title">
      <header className="adm-header">
        <h1 id="bk-screen-title">Bookings</h1>
        <Button
          variant="primary"
          onClick={() => {
            setCreated(null);
            setCreating(true);
          }}
          disabled={creating}
        >
          New booking
        </Button>
      </header>

      <form className="adm-toolbar bk-filters" role="search" aria-label="Filter bookings" noValidate onSubmit={(e) => e.preventDefault()}>
        <Field label="Search" path="text">
          {(c) => <input {...c} type="search" placeholder="Title, customer, address…" value={filters.text} onChange={(e) => setFilter('text', e.target.value)} />}
        </Field>
        <Field label="Status" path="status">
          {(c) => (
            <select {...c} value={filters.status} onChange={(e) => setFilter('status', e.target.value as Filters['status'])}>
              <option value="">Any status</option>
              {STATUS_OPTIONS.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Technician" path="providerId">
          {(c) => (
            <select {...c} value={filters.providerId} onChange={(e) => setFilter('providerId', e.target.value)}>
              <option value="">Anyone</option>
              {providerOptions.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.active ? '' : ' (inactive)'}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From" path="from" error={rangeBackwards ? 'After “To”' : undefined}>
          {(c) => <input {...c} type="date" value={filters.from} onChange={(e) => setFilter('from', e.target.value)} />}
        </Field>
        <Field label="To" path="to">
          {(c) => <input {...c} type="date" value={filters.to} onChange={(e) => setFilter('to', e.target.value)} />}
        </Field>
        <Button disabled={!filtered} onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </Button>
      </form>

      {created ? (
        <p className="adm-notice" role="status">
          Created “{created.title}”.{' '}
          {onOpenBooking ? (
            <Button variant="link" onClick={() => onOpenBooking(created.id)}>
              Open it
            </Button>
          ) : null}
        </p>
      ) : null}
      {bookings.error ? (
        <p className="adm-load-error" role="alert">
          Could not load bookings: {bookings.error.message}
        </p>
      ) : null}

      <div className={creating ? 'adm-body adm-body--with-panel' : 'adm-body'}>
        <div className="adm-list">
          <table className="adm-table bk-table">
            <caption className="adm-sr-only">Bookings{zone ? `, times in ${zone}` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">When{zone ? <span className="bk-zone"> ({zone})</span> : null}</th>
                <th scope="col">Title</th>
                <th scope="col">Customer</th>
                <th scope="col">Technicians</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => {
                const customer = b.customerId ? customerById.get(b.customerId) : undefined;
                const open = onOpenBooking ? () => onOpenBooking(b.id) : undefined;
                return (
                  <tr
                    key={b.id}
                    data-booking-id={b.id}
                    data-status={b.status}
                    data-staged={b.staged ? '' : undefined}
                    tabIndex={open ? 0 : undefined}
                    onClick={open}
                    onKeyDown={
                      open
                        ? (e) => {
                            if (e.key === 'Enter' || e.key === ' ') {
                              e.preventDefault();
                              open();
                            }
                          }
                        : undefined
                    }
                  >
                    <td className="bk-when">
                      {b.slot && zone ? formatSpan(b.slot.start, b.slot.end, zone) : <span className="adm-muted">No date</span>}
                      {b.staged ? (
                        <span className="adm-badge adm-badge--warn bk-staged" title="Changed on the board but not saved yet">
                          Staged
                        </span>
                      ) : null}
                    </td>
                    <td className="bk-title">
                      {b.title}
                      {rules.data?.[b.id] ? (
                        <span className="bk-rule" data-booking-rule="">
                          Repeats: {rules.data[b.id]}
                        </span>
                      ) : null}
                    </td>
                    <td>{customer ? customer.name : b.customerId ? <span className="adm-muted">Unknown customer</span> : <span className="adm-muted">—</span>}</td>
                    <td>
                      {assigneeNames(b).length === 0 ? (
                        <span className="adm-muted">Unassigned</span>
                      ) : (
                        <span className="bk-assignee-names">
                          {assigneeNames(b).map((a) => (
                            <span key={a.id} className="bk-assignee-name">
                              {a.color ? <span className="adm-swatch" style={{ backgroundColor: a.color }} aria-hidden="true" /> : null}
                              {a.name}
                              {a.inactive ? <span className="adm-muted"> (inactive)</span> : null}
                            </span>
                          ))}
                        </span>
                      )}
                    </td>
                    <td>
                      <span className={`bk-status bk-status--${b.status}`}>{STATUS_LABELS[b.status]}</span>
                    </td>
                    <td>
                      <span className={`bk-priority bk-priority--${b.priority}`}>{PRIORITY_LABELS[b.priority]}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {bookings.loading ? <p className="adm-empty">Loading…</p> : null}
          {!bookings.loading && rows.length === 0 ? <p className="adm-empty">{filtered ? 'No bookings match these filters.' : 'No bookings yet.'}</p> : null}
          {rows.length >= LIST_LIMIT ? <p className="adm-empty">Showing the first {LIST_LIMIT} bookings; narrow the filters to see others.</p> : null}
        </div>
        {creating ? (
          <aside className="adm-panel bk-panel" aria-label="New booking">
            <h2>New booking</h2>
            <NewBookingForm
              client={client}
              onCancel={() => setCreating(false)}
              onCreated={(booking) => {
                setCreating(false);
                setCreated(booking);
              }}
            />
          </aside>
        ) : null}
      </div>
      <p className="adm-muted bk-count" aria-live="polite">
        {bookings.loading ? '' : countText(rows.length, 'booking')}
        {filters.from || filters.to ? ' (dated jobs only when a date range is set)' : ''}
      </p>
    </section>
  );
}
