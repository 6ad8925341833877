import { useState } from 'react';
import type { RouteProposal, RouteTotals } from '../../../../core/assistant/order-route';
import { dayBoundsMs, toMs } from '../../../../core/time';
import { formatDistance, type DistanceUnit } from '../../../../core/units';
import { Button } from '../../components/Button.tsx';
import { useClient } from '../../components/ClientContext.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import type { BoardStore } from '../board/board-store.ts';
import { fmtDate, fmtTimeRange } from '../board/time-format.ts';
import type { Roster } from '../board/use-roster.ts';
import { useBackendQuery } from '../forms/backend.ts';
import { formatMinutes } from '../route-sheets/route-sheet-format.ts';
import './route-panel.css';

/**
 * Order a route (issue #19): one provider's stops that day, before and after, and the distance both ways.
 * "Stage new order" stages every moved job at once (`store.stageMany`: one undo step); Save as usual.
 */
export function RoutePanel({ store, providerId, day, roster }: { store: BoardStore; providerId: string; day: string; roster: Roster }) {
  const client = useClient();
  const toast = useToast();
  const zone = roster.settings.timeZone;
  const unit = roster.settings.distanceUnit;
  const name = roster.providersById.get(providerId)?.name ?? 'Unknown provider';
  const query = useBackendQuery(client, 'assistant:orderRoute', { providerId, day }, ['schedule:changed', 'roster:changed']);
  const [staging, setStaging] = useState(false);
  const proposal = query.data?.providerId === providerId && query.data.day === day ? query.data : undefined;
  const close = () => store.closeAssistant();

  const stage = async () => {
    if (!proposal || proposal.outcome !== 'better') return;
    setStaging(true);
    const staged = await store.stageMany(proposal.slots);
    setStaging(false);
    if (!staged) return; // the board said why
    close();
    toast(`New order staged for ${name}: Save to keep it, Ctrl+Z to undo`, 'success');
  };

  // Keys pressed in the panel are the panel's: the board's shortcuts (arrows, Delete, Ctrl+Z) listen on the
  // window and would act on the board behind the modal.
  return (
    <div role="presentation" onKeyDown={(e) => e.stopPropagation()}>
      <Dialog
        name="route-order"
        title={`Order ${name}’s route`}
        className="cl-route-panel"
        onClose={close}
        footer={
          <>
            <Button onClick={close}>Close</Button>
            <Button variant="primary" data-action="stage-route" disabled={proposal?.outcome !== 'better' || staging} onClick={() => void stage()}>
              Stage new order
            </Button>
          </>
        }
      >
        <p className="cl-muted">
          {fmtDate(dayBoundsMs(day, zone)[0] + 12 * 3_600_000, zone)} · travel estimated as on the route sheets; arrival windows, fixed times and working hours kept.
        </p>
        {query.error ? (
          <p className="cl-error" role="alert">
            Could not order the route: {query.error.message}
          </p>
        ) : null}
        {!proposal && !query.error ? <p className="cl-muted">Working out the shortest order…</p> : null}
        {proposal ? <Proposal proposal={proposal} zone={zone} unit={unit} /> : null}
      </Dialog>
    </div>
  );
}


function headline(p: RouteProposal, unit: DistanceUnit): string {
  if (p.outcome === 'better') return `${formatDistance(p.before.km - p.after.km, unit)} shorter`;
  if (p.outcome === 'nothing_to_gain') return `Nothing to gain: this order is already the shortest${p.exact ? '' : ' found'}`;
  return p.message;
}

function Proposal({ proposal: p, zone, unit }: { proposal: RouteProposal; zone: string; unit: DistanceUnit }) {
  const totals = (t: RouteTotals) => `${formatDistance(t.km, unit)} · ${formatMinutes(t.minutes)} driving`;
  return (
    <div className="cl-route" data-route-outcome={p.outcome}>
      <p className="cl-route__headline" data-route-headline="">
        <strong>{headline(p, unit)}</strong>
      </p>
      <dl className="cl-route__totals">
        <div data-route-total="before">
          <dt>Before</dt>
          <dd>{totals(p.before)}</dd>
        </div>
        <div data-route-total="after">
          <dt>After</dt>
          <dd>{totals(p.after)}</dd>
        </div>
      </dl>
      {p.stops.length > 0 ? (
        <table className="cl-route__stops">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Job</th>
              <th scope="col">Now</th>
              <th scope="col">{p.outcome === 'better' ? 'New' : ''}</th>
            </tr>
          </thead>
          <tbody>
            {p.stops.map((s) => {
              const moved = toMs(s.before.start) !== toMs(s.after.start);
              return (
                <tr key={s.bookingId} data-route-stop={s.bookingId} data-moved={moved ? 'true' : 'false'}>
                  <td>{s.after.order}</td>
                  <td>
                    {s.title}
                    {s.fixedReason ? <span className="cl-muted cl-small"> · stays: {s.fixedReason}</span> : null}
                    {!s.hasCoordinates ? <span className="cl-muted cl-small"> · no coordinates</span> : null}
                  </td>
                  <td>
                    #{s.before.order} {fmtTimeRange(toMs(s.before.start), toMs(s.before.end), zone)}
                  </td>
                  <td>{p.outcome === 'better' ? (moved ? fmtTimeRange(toMs(s.after.start), toMs(s.after.end), zone) : 'unchanged') : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {p.notes.length > 0 ? (
        <ul className="cl-route__notes">
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {p.outcome === 'better' && !p.exact ? <p className="cl-muted cl-small">A long day: the best order found by local search, not proven the shortest.</p> : null}
    </div>
  );
}
