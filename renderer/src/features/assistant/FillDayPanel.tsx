import { useEffect, useRef, useState } from 'react';
import { countText, listText } from '../../../../core/format.ts';
import { formatDistance, type DistanceUnit } from '../../../../core/units.ts';
import type { FillDayResult } from '../../../../core/assistant/fill-day.ts';
import type { EventPayloads } from '../../../../core/api/contract.ts';
import type { Provider, Slot } from '../../../../core/model.ts';
import { dayBoundsMs, toMs } from '../../../../core/time.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useClient } from '../../components/ClientContext.tsx';
import { fmtDate, fmtTimeRange } from '../board/time-format.ts';
import './fill-day.css';

interface FillDayPanelProps {
  day: string;
  /** A selection of queue jobs; the day's whole queue otherwise. */
  bookingIds?: string[];
  zone: string;
  unit: DistanceUnit;
  providers: ReadonlyMap<string, Provider>;
  /** Stages every placement as one edit (one undo step); resolves false when it was refused. */
  onStage: (slots: Array<{ id: string; slot: Slot }>) => Promise<boolean>;
  onClose: () => void;
}

type Phase =
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; result: FillDayResult }
  | { kind: 'failed'; message: string };

let runs = 0;

/**
 * Fill a day (issue #19): asks the backend for a proposal (`assistant:fillDay`, progress as it goes, Cancel
 * stops it), shows per job who and why and what could not be placed, and stages it all as one edit the
 * dispatcher reviews and Saves as usual. Nothing is staged until they say so.
 */
export function FillDayPanel({ day, bookingIds, zone, unit, providers, onStage, onClose }: FillDayPanelProps) {
  const client = useClient();
  const [phase, setPhase] = useState<Phase>({ kind: 'running', done: 0, total: 0 });
  const [staging, setStaging] = useState(false);
  const runId = useRef(`fill-${Date.now()}-${++runs}`);

  useEffect(() => {
    const id = runId.current;
    let live = true;
    const off = client.on('assistant:progress', (p: EventPayloads['assistant:progress']) => {
      if (live && p.runId === id) setPhase((s) => (s.kind === 'running' ? { kind: 'running', done: p.done, total: p.total } : s));
    });
    void client.request('assistant:fillDay', { day, runId: id, ...(bookingIds ? { bookingIds } : {}) }).then((r) => {
      if (!live) return;
      setPhase(r.ok ? { kind: 'done', result: r.value } : { kind: 'failed', message: r.error.message });
    });
    return () => {
      live = false;
      off();
      // Closed while it runs: stop it (a finished run ignores this).
      void client.request('assistant:cancel', { runId: id });
    };
  }, [client, day, bookingIds]);

  const dayLabel = fmtDate(dayBoundsMs(day, zone)[0] + 12 * 3_600_000, zone);
  const who = (slot: Slot) => listText(slot.assignees.map((id) => providers.get(id)?.name ?? 'unknown'));

  const stage = async (result: FillDayResult) => {
    setStaging(true);
    const ok = await onStage(result.placed.map((p) => ({ id: p.id, slot: p.slot })));
    setStaging(false);
    if (ok) onClose();
  };

  let footer = null;
  let body;
  if (phase.kind === 'running') {
    body = (
      <div className="cl-fill__progress" data-fill-progress="">
        <p>Finding the best assignments…</p>
        <progress max={phase.total || 1} value={phase.done} aria-label="Progress" />
        <p className="cl-muted">{phase.total > 0 ? `${Math.round((phase.done / phase.total) * 100)}%` : 'Starting'}</p>
      </div>
    );
    footer = (
      <button type="button" className="cl-button" data-action="fill-cancel" onClick={onClose}>
        Cancel
      </button>
    );
  } else if (phase.kind === 'failed') {
    body = (
      <p className="cl-error" role="alert" data-fill-error="">
        Could not fill the day: {phase.message}
      </p>
    );
    footer = (
      <button type="button" className="cl-button" onClick={onClose}>
        Close
      </button>
    );
  } else {
    const { result } = phase;
    const n = result.placed.length;
    body = (
      <div className="cl-fill__summary" data-fill-summary="">
        <p data-fill-totals="">
          {n} of {countText(n + result.unplaced.length, 'job')} placed. Travel {formatDistance(result.before.travelKm, unit)} → {formatDistance(result.after.travelKm, unit)} (about{' '}
          {result.after.travelMinutes} min); load spread {result.before.loadSpread} → {result.after.loadSpread} points.
        </p>
        {n > 0 ? (
          <ul className="cl-fill__list" aria-label="Placed jobs">
            {result.placed.map((p) => (
              <li key={p.id} data-fill-placed={p.id}>
                <strong>{p.title}</strong> · {fmtTimeRange(toMs(p.slot.start), toMs(p.slot.end), zone)} · {who(p.slot)}
                <div className="cl-muted">{p.why}</div>
              </li>
            ))}
          </ul>
        ) : null}
        {result.unplaced.length > 0 ? (
          <>
            <h3 className="cl-fill__heading">Could not be placed</h3>
            <ul className="cl-fill__list" aria-label="Jobs not placed">
              {result.unplaced.map((u) => (
                <li key={u.id} data-fill-unplaced={u.id}>
                  <strong>{u.title}</strong>
                  <div className="cl-muted">{u.why}</div>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {n + result.unplaced.length === 0 ? <p className="cl-muted">No unassigned jobs for this day.</p> : null}
      </div>
    );
    footer = (
      <>
        <button type="button" className="cl-button" onClick={onClose}>
          Close
        </button>
        <button type="button" className="cl-button cl-button--primary" data-action="fill-stage" disabled={n === 0 || staging} onClick={() => void stage(result)}>
          Stage {n === 1 ? 'this assignment' : `these ${n} assignments`}
        </button>
      </>
    );
  }

  return (
    <Dialog name="fill-day" title={`Fill ${dayLabel}`} onClose={onClose} footer={footer} className="cl-fill">
      {body}
    </Dialog>
  );
}
