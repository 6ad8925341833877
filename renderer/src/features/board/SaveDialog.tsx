import { useEffect, useState } from 'react';
import type { SavePreview } from '../../../../core/api/contract.ts';
import type { ArrivalWindow, Provider, Settings, Slot } from '../../../../core/model.ts';
import { windowMovedWith } from '../../../../core/notifications/arrival-window-move.ts';
import { arrivalWindowFits } from '../../../../core/notifications/save-audience.ts';
import { toMs } from '../../../../core/time.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useClient } from '../../components/ClientContext.tsx';
import { Icon } from '../../components/Icon.tsx';
import { fmtDate, fmtTimeRange, organizationFormatter } from './time-format.ts';

import type { SaveChoice, SaveRetry } from './board-store.ts';

export type { SaveChoice, SaveRetry };

interface SaveDialogProps {
  settings: Settings;
  providers: ReadonlyMap<string, Provider>;
  /** The board commits the staged edits (its own request, so it repaints from the answer). */
  onConfirm: (choice: SaveChoice) => void;
  onClose: () => void;
  /** Back after a refused Save: the reason, and the choices made then. */
  retry?: SaveRetry | null;
}

const CHANNEL_LABEL: Record<string, string> = { email: 'Email', sms: 'SMS', chat: 'Team chat' };

function describe(slot: Slot | null, zone: string, providers: ReadonlyMap<string, Provider>): string {
  if (!slot) return 'no date';
  const fmt = organizationFormatter(zone);
  const who = fmt.list(slot.assignees.map((id) => providers.get(id)?.name ?? 'unknown')) || 'nobody';
  const start = toMs(slot.start);
  return `${fmtDate(start, zone)} ${fmtTimeRange(start, toMs(slot.end), zone)} · ${who}`;
}

/**
 * Save of the staged board edits (seeds: "Click Save, select if providers and/or the customer should be
 * notified, click Save to finalize"): who gets what on which channel, then one atomic commit. The dialog
 * goes at the click, with the commit under way: the board is what the dispatcher looks at next. A refused
 * Save keeps every staged edit and brings the dialog back with the reason (`retry`).
 */
export function SaveDialog({ settings, providers, onConfirm, onClose, retry }: SaveDialogProps) {
  const client = useClient();
  const [notifyProviders, setNotifyProviders] = useState(retry?.choice.notifyProviders ?? settings.notifyProvidersByDefault);
  const [notifyCustomers, setNotifyCustomers] = useState(retry?.choice.notifyCustomers ?? settings.notifyCustomersByDefault);
  // Follows "Notify customers" until the dispatcher sets it: a customer who is told should be told a window that holds.
  const [moveWindowsChoice, setMoveWindows] = useState<boolean | null>(retry?.choice.moveArrivalWindows ?? null);
  const moveWindows = moveWindowsChoice ?? notifyCustomers;
  const [preview, setPreview] = useState<SavePreview | null>(null);
  const [error, setError] = useState<string | null>(retry?.error ?? null);

  useEffect(() => {
    let live = true;
    client.request('draft:preview', { notifyProviders, notifyCustomers }).then((r) => {
      if (!live) return;
      if (r.ok) setPreview(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, notifyProviders, notifyCustomers]);

  // Each staged move's arrival window (from the job's details): a move that leaves it is said out loud.
  const [windows, setWindows] = useState<ReadonlyMap<string, ArrivalWindow | null>>(new Map());
  useEffect(() => {
    if (!preview) return;
    let live = true;
    const moved = preview.changes.filter((c) => c.to && !windows.has(c.id));
    if (moved.length === 0) return;
    void Promise.all(moved.map((c) => client.request('bookings:get', { id: c.id }))).then((answers) => {
      if (!live) return;
      setWindows((prev) => {
        const next = new Map(prev);
        answers.forEach((a, i) => next.set(moved[i]!.id, a.ok ? a.value.booking.arrivalWindow : null));
        return next;
      });
    });
    return () => {
      live = false;
    };
  }, [client, preview, windows]);

  const recipients = preview ? [...preview.providers, ...preview.customers] : [];
  const leavingWindow = preview ? preview.changes.filter((c) => windowMovedWith(windows.get(c.id) ?? null, c.from, c.to) !== null) : [];
  return (
    <Dialog
      name="save"
      title="Save changes"
      onClose={onClose}
      className="cl-save-dialog"
      footer={
        <>
          <button type="button" className="cl-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="cl-button cl-button--primary"
            data-action="confirm-save"
            disabled={!preview || preview.changes.length === 0}
            onClick={() => onConfirm({ notifyProviders, notifyCustomers, moveArrivalWindows: leavingWindow.length > 0 && moveWindows })}
          >
            <Icon name="save" /> Save {preview ? organizationFormatter(settings.timeZone).count(preview.changes.length, 'change') : 'changes'}
          </button>
        </>
      }
    >
      <div className="cl-save-dialog__choices">
        <label className="cl-check">
          <input
            type="checkbox"
            name="notifyProviders"
            checked={notifyProviders}
            onChange={(e) => setNotifyProviders(e.target.checked)}
          />
          Notify service providers
        </label>
        <label className="cl-check">
          <input
            type="checkbox"
            name="notifyCustomers"
            checked={notifyCustomers}
            onChange={(e) => setNotifyCustomers(e.target.checked)}
          />
          Notify customers
        </label>
        {leavingWindow.length > 0 ? (
          <label className="cl-check">
            <input type="checkbox" name="moveArrivalWindows" checked={moveWindows} onChange={(e) => setMoveWindows(e.target.checked)} />
            Move the arrival window with the job{leavingWindow.length > 1 ? 's' : ''}
          </label>
        ) : null}
      </div>
      {error ? (
        <p className="cl-error" role="alert">
          {error}
        </p>
      ) : null}
      {preview ? (
        <>
          <h3>Changes ({preview.changes.length})</h3>
          <ul className="cl-save-dialog__changes" data-save-changes="">
            {preview.changes.map((c) => (
              <li key={c.id} data-booking-id={c.id}>
                <strong>{c.title}</strong>
                <span className="cl-muted">
                  {describe(c.from, settings.timeZone, providers)} → {describe(c.to, settings.timeZone, providers)}
                </span>
                <WindowWarning window={windows.get(c.id) ?? null} from={c.from} slot={c.to} zone={settings.timeZone} moveWith={moveWindows} />
              </li>
            ))}
          </ul>
          <h3>Who will be notified</h3>
          {!notifyProviders && preview.providers.length > 0 ? (
            <p className="cl-muted" data-told-anyway="">
              Technicians who had been sent a job are told when it moves or is taken from them, whatever is chosen here.
            </p>
          ) : null}
          {recipients.length === 0 ? (
            <p className="cl-muted" data-recipients="none">
              Nobody will be notified.
            </p>
          ) : (
            <ul className="cl-save-dialog__recipients" data-recipients="">
              {recipients.map((r) => (
                <li key={`${r.kind}:${r.id}`} data-recipient-kind={r.kind} data-recipient-id={r.id}>
                  <span className={`cl-tag cl-tag--${r.kind}`}>{r.kind === 'provider' ? 'Provider' : 'Customer'}</span>
                  <strong>{r.name}</strong>
                  <span className="cl-muted">
                    {r.channels.length ? organizationFormatter(settings.timeZone).list(r.channels.map((c) => CHANNEL_LABEL[c] ?? c)) : 'no channel turned on'}
                  </span>
                  <span className="cl-save-dialog__about">{organizationFormatter(settings.timeZone).list(r.bookings)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="cl-muted">Preparing preview…</p>
      )}
    </Dialog>
  );
}

/**
 * "Arrival window 09:00–10:00 no longer fits 13:00–15:00": the customer was promised a window the move
 * leaves. With "Move the arrival window with the job" it says where the window goes (what the customer is told).
 */
function WindowWarning({ window, from, slot, zone, moveWith }: { window: ArrivalWindow | null; from: Slot | null; slot: Slot | null; zone: string; moveWith: boolean }) {
  if (!window || !slot || arrivalWindowFits(window, slot)) return null;
  const moved = windowMovedWith(window, from, slot);
  const range = (w: { start: string; end: string }) => fmtTimeRange(toMs(w.start), toMs(w.end), zone);
  return (
    <span className="cl-save-dialog__window-warning" role="note" data-arrival-window-warning="">
      Arrival window {range(window)} no longer fits {range(slot)}:{' '}
      {moveWith && moved ? (
        <span data-arrival-window-moves="">
          it moves with the job to {fmtDate(toMs(moved.start), zone)} {range(moved)}.
        </span>
      ) : (
        'a customer who is notified is told the new time; move the window with the job to keep one.'
      )}
    </span>
  );
}
