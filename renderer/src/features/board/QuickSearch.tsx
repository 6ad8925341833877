import { useEffect, useRef, useState } from 'react';
import type { BoardBooking, SearchHit } from '../../../../core/api/contract.ts';
import { STATUS_LABELS } from '../../../../core/status.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useClient } from '../../components/ClientContext.tsx';
import { fmtDateTime } from './time-format.ts';

interface QuickSearchProps {
  zone: string;
  onClose: () => void;
  onBooking: (id: string) => void;
  onProvider: (id: string, name: string) => void;
}

type Row = { key: string; kind: SearchHit['kind']; id: string; label: string; detail: string };

/**
 * Ctrl+K: jump to a job (opens its panel on its date), a provider (shows only their row) or a customer
 * (lists their jobs to pick from).
 */
export function QuickSearch({ zone, onClose, onBooking, onProvider }: QuickSearchProps) {
  const client = useClient();
  const [text, setText] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [active, setActive] = useState(0);
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // The input mounts with the dialog's content (autoFocus); picking a customer keeps the focus there.
  useEffect(() => {
    if (customer) inputRef.current?.focus();
  }, [customer]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      if (customer) {
        const r = await client.request('bookings:list', { text: customer.name });
        if (!live || !r.ok) return;
        const needle = text.trim().toLowerCase();
        const jobs = r.value
          .filter((b: BoardBooking) => b.customerId === customer.id)
          .filter((b) => !needle || b.title.toLowerCase().includes(needle))
          .sort((a, b) => (b.slot?.start ?? '').localeCompare(a.slot?.start ?? ''));
        setRows(
          jobs.map((b) => ({
            key: `booking:${b.id}`,
            kind: 'booking',
            id: b.id,
            label: b.title,
            detail: `${b.slot ? fmtDateTime(b.slot.start, zone) : 'No date'} · ${STATUS_LABELS[b.status]}`,
          })),
        );
      } else {
        if (!text.trim()) {
          setRows([]);
          return;
        }
        const r = await client.request('search:query', { text: text.trim() });
        if (!live || !r.ok) return;
        // A job's detail is its start instant: show it in the organization's zone.
        const detail = (d: string) => (/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(d) ? fmtDateTime(d, zone) : d);
        setRows(r.value.map((h) => ({ key: `${h.kind}:${h.id}`, ...h, detail: detail(h.detail) })));
      }
      setActive(0);
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, text, customer, zone]);

  const choose = (row: Row | undefined) => {
    if (!row) return;
    if (row.kind === 'booking') onBooking(row.id);
    else if (row.kind === 'provider') onProvider(row.id, row.label);
    else {
      setCustomer({ id: row.id, name: row.label });
      setText('');
    }
  };

  return (
    <Dialog name="quick-search" title={customer ? `Jobs for ${customer.name}` : 'Go to job, customer or provider'} onClose={onClose} className="cl-search-dialog">
      <input
        ref={inputRef}
        autoFocus
        className="cl-input cl-search-dialog__input"
        type="search"
        placeholder={customer ? 'Filter jobs…' : 'Type a job, customer or provider…'}
        aria-label="Quick search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((i) => Math.min(rows.length - 1, i + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => Math.max(0, i - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            choose(rows[active]);
          } else if (e.key === 'Backspace' && customer && text === '') {
            setCustomer(null);
          }
        }}
      />
      <ul className="cl-search-dialog__results" role="listbox" aria-label="Results">
        {rows.map((row, i) => (
          <li
            key={row.key}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'is-active' : ''}
            data-hit-kind={row.kind}
            data-hit-id={row.id}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(row)}
          >
            <span className={`cl-tag cl-tag--${row.kind}`}>{row.kind === 'booking' ? 'Job' : row.kind === 'provider' ? 'Provider' : 'Customer'}</span>
            <strong>{row.label}</strong>
            <span className="cl-muted">{row.detail}</span>
          </li>
        ))}
        {rows.length === 0 && (text.trim() || customer) ? <li className="cl-muted">No results</li> : null}
      </ul>
    </Dialog>
  );
}
