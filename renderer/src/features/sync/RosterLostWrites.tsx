import { useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import type { RosterLostWrite, RosterRecordKind } from '../../../../core/doc/roster-lost-writes';
import { useToast } from '../../components/Toasts.tsx';
import { useBackendQuery } from '../forms/backend';
import './sync.css';

export const LOST_WRITE_HEADING = 'A change of yours was not kept';

export interface RosterLostWriteMarks {
  /** The record's marks (empty: none). */
  of: (id: string) => readonly RosterLostWrite[];
  /** "Got it": forgets the record's marks. */
  dismiss: (id: string) => Promise<void>;
}

const NONE: readonly RosterLostWrite[] = [];

/**
 * The lost-write marks of one kind of roster record (`roster:listLostWrites`), one read per screen, again
 * whenever marks come or go (`roster:lostWritesChanged`).
 */
export function useRosterLostWrites(client: BackendClient, kind: RosterRecordKind): RosterLostWriteMarks {
  const toast = useToast();
  const query = useBackendQuery(client, 'roster:listLostWrites', { kind }, ['roster:lostWritesChanged']);
  const byRecord = useMemo(() => {
    const map = new Map<string, RosterLostWrite[]>();
    for (const m of query.data ?? []) map.set(m.recordId, [...(map.get(m.recordId) ?? []), m]);
    return map;
  }, [query.data]);
  const { reload } = query;
  return {
    of: (id) => byRecord.get(id) ?? NONE,
    dismiss: async (id) => {
      const r = await client.request('roster:dismissLostWrite', { kind, id });
      if (!r.ok) toast(r.error.message, 'error');
      reload();
    },
  };
}

/** The list row's mark: an icon, and the words for screen readers. */
export function LostWriteRowMark({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span className="roster-lost-mark" data-lost-write-mark title={LOST_WRITE_HEADING}>
      <span aria-hidden="true">!</span>
      <span className="adm-sr-only">{LOST_WRITE_HEADING}</span>
    </span>
  );
}

/** The record panel's notice: what was kept and what of this desktop's was lost, until "Got it". */
export function LostWriteNotice({ marks, onDismiss }: { marks: readonly RosterLostWrite[]; onDismiss: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  if (marks.length === 0) return null;
  return (
    <section className="sync-note sync-note--offline roster-lost-note" role="status" aria-label={LOST_WRITE_HEADING} data-lost-write-notice>
      <p>
        <strong>{LOST_WRITE_HEADING}.</strong> Another desktop changed the same fields at the same time; its change was kept.
      </p>
      <ul>
        {marks.map((m) => (
          <li key={m.entryId} data-lost-write={m.entryId}>
            <span data-lost-write-kept>Kept: {m.kept}.</span> <span data-lost-write-lost>Yours, not kept: {m.lost}.</span>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="cl-button"
        data-action="dismiss-lost-write"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onDismiss().finally(() => setBusy(false));
        }}
      >
        Got it
      </button>
    </section>
  );
}
