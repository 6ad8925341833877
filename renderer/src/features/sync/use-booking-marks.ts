import { useEffect, useMemo, useRef, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import type { OfflineChange, PresencePeer } from '../../../../core/sync/client-status.ts';

/** What the board shows on a card about other desktops: who changed it while this one was offline, who has it open. */
export interface BookingMark {
  offlineBy: readonly string[];
  viewers: readonly string[];
  /** Equal keys mean equal marks (cards are rebuilt only when their mark changes). */
  key: string;
}

export type BookingMarks = ReadonlyMap<string, BookingMark>;

const EMPTY: BookingMarks = new Map();

/**
 * The marks of the bookings in the visible range: one `sync:listOfflineChanges` read per range, again on
 * `sync:offlineChangesChanged`, and presence from the peers already in hand — never a request per card.
 * Unchanged bookings keep their mark object, and an unchanged board keeps the whole map.
 */
export function useBookingMarks(client: BackendClient, range: { from: string; to: string } | null, peers: readonly PresencePeer[]): BookingMarks {
  const [offline, setOffline] = useState<OfflineChange[]>([]);
  const from = range?.from;
  const to = range?.to;
  useEffect(() => {
    if (from === undefined || to === undefined) return undefined;
    let live = true;
    let seq = 0;
    const read = () => {
      const mine = ++seq;
      void client.request('sync:listOfflineChanges', { from, to }).then((r) => {
        if (live && mine === seq && r.ok) setOffline(r.value);
      });
    };
    read();
    const off = client.on('sync:offlineChangesChanged', read);
    return () => {
      live = false;
      off();
    };
  }, [client, from, to]);

  const previous = useRef<BookingMarks>(EMPTY);
  return useMemo(() => {
    const offlineBy = new Map<string, Set<string>>();
    for (const change of offline) {
      const names = offlineBy.get(change.bookingId) ?? new Set<string>();
      names.add(change.by.name);
      offlineBy.set(change.bookingId, names);
    }
    const viewers = new Map<string, Set<string>>();
    for (const peer of peers) {
      if (!peer.openJobId) continue;
      const names = viewers.get(peer.openJobId) ?? new Set<string>();
      names.add(peer.name);
      viewers.set(peer.openJobId, names);
    }
    const next = new Map<string, BookingMark>();
    let same = true;
    for (const id of new Set([...offlineBy.keys(), ...viewers.keys()])) {
      const by = [...(offlineBy.get(id) ?? [])].sort();
      const open = [...(viewers.get(id) ?? [])].sort();
      const key = JSON.stringify([by, open]);
      const before = previous.current.get(id);
      if (before?.key === key) next.set(id, before);
      else {
        same = false;
        next.set(id, { offlineBy: by, viewers: open, key });
      }
    }
    if (same && next.size === previous.current.size) return previous.current;
    previous.current = next.size === 0 ? EMPTY : next;
    return previous.current;
  }, [offline, peers]);
}
