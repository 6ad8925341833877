import { useEffect, useState } from 'react';
import type { BoardView } from '../../../../core/api/contract.ts';
import { Dialog } from '../../components/Dialog.tsx';
import type { BoardStore } from './board-store.ts';
import { lateJobsOffer, suggestInstead } from './late-jobs.ts';
import type { Roster } from './use-roster.ts';

/**
 * The technician's next jobs, opened from the "Late" marker on their row label (late-marker.ts): what the
 * delay pushes, each with "Suggest a technician" (the schedule assistant's panel, issue #19 §1), so the
 * dispatcher can hand them to someone else as staged edits. Reads the board's own bookings, so it
 * follows live changes while open.
 */
export function LateJobs({ store, view, roster, readOnly }: { store: BoardStore; view: BoardView | null; roster: Roster; readOnly: boolean }) {
  const [open, setOpen] = useState<{ providerId: string; lateId: string } | null>(null);

  useEffect(() => {
    // The marker lives in the calendar's row labels, outside React: one delegated listener.
    const onClick = (e: MouseEvent) => {
      const marker = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-late-marker]') : null;
      const providerId = marker?.closest<HTMLElement>('[data-provider-id]')?.dataset.providerId;
      if (!marker || !providerId) return;
      e.preventDefault();
      setOpen({ providerId, lateId: marker.dataset.lateMarker! });
    };
    const onShownClick = store.whileVisible(onClick);
    document.addEventListener('click', onShownClick);
    return () => document.removeEventListener('click', onShownClick);
  }, [store]);

  if (!open) return null;
  const offer = lateJobsOffer(view?.bookings ?? [], open.providerId, open.lateId, {
    zone: roster.settings.timeZone,
    customers: roster.customers,
    providers: roster.providersById,
  });
  const close = () => setOpen(null);
  return (
    <Dialog name="late-jobs" title={offer ? `${offer.providerName} is running late` : 'Running late'} onClose={close}>
      {offer ? (
        <div className="cl-late-jobs" data-late-provider={offer.providerId}>
          <p className="cl-late-jobs__late" data-late-job={offer.late.id}>
            <strong>{offer.note}</strong>
            <br />
            <span className="cl-muted">
              {offer.late.time} · {offer.late.title}
              {offer.late.customer ? ` — ${offer.late.customer}` : ''}
            </span>
          </p>
          {offer.next.length ? (
            <>
              <p>Next jobs that day: hand one to someone else?</p>
              <ul className="cl-late-jobs__list" data-late-next-jobs="">
                {offer.next.map((job) => (
                  <li key={job.id} className="cl-late-jobs__item" data-late-next-job={job.id}>
                    <span className="cl-late-jobs__what">
                      <span className="cl-late-jobs__time">{job.time}</span> {job.title}
                      {job.customer ? <span className="cl-muted"> — {job.customer}</span> : null}
                    </span>
                    <button
                      type="button"
                      className="cl-button"
                      data-action="suggest-technician"
                      disabled={readOnly}
                      onClick={() => {
                        suggestInstead(store, job.id);
                        close();
                      }}
                    >
                      Suggest a technician
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="cl-muted" data-late-next-jobs-empty="">
              No more jobs for {offer.providerName} after this one that day.
            </p>
          )}
        </div>
      ) : (
        <p className="cl-muted">This report no longer stands: the technician has moved on.</p>
      )}
    </Dialog>
  );
}
