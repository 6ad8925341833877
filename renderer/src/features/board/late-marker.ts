import type { LateReport } from '../../../../core/assistant/running-late.ts';
import { lateProp, readLateProp } from './late-jobs.ts';

/**
 * The "running late" marker on a technician's row label (issue #19 §5): a small button beside the name,
 * the report in its title and accessible name; a click opens the technician's next jobs for reassignment
 * (LateJobs.tsx listens for it). Kept apart from the label's other parts (load, capacity) so each is one
 * call in `renderProviderLabel`. No FullCalendar import: the calendar is passed in by calendar/calendar-bridge.ts.
 */

/** The marker, or nothing when the technician has no standing late report on the label's day. */
export function lateMarker(prop: unknown): HTMLButtonElement | null {
  const report = readLateProp(prop);
  if (!report) return null;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'cl-late-marker';
  button.dataset.lateMarker = report.bookingId;
  button.textContent = report.count > 1 ? `Late ×${report.count}` : 'Late';
  button.title = `${report.note}\nClick for the next jobs, to reassign`;
  button.setAttribute('aria-label', `${report.note}. Show the next jobs to reassign`);
  return button;
}

/** Adds the marker to a label's name line when there is a report. */
export function appendLateMarker(parent: HTMLElement, prop: unknown): void {
  const marker = lateMarker(prop);
  if (marker) parent.append(marker);
}

/** The slice of FullCalendar's API this needs, so this file stays free of its imports. */
interface ResourceRows {
  batchRendering(fn: () => void): void;
  getResources(): Array<{ id: string; extendedProps: Record<string, unknown>; setExtendedProp(name: string, value: unknown): void }>;
}

/** Puts each row's late report in its label, touching only rows whose report changed (`rows`: only those). */
export function syncLateMarkers(api: ResourceRows, reports: ReadonlyMap<string, LateReport>, rows?: ReadonlySet<string>): void {
  api.batchRendering(() => {
    for (const r of api.getResources()) {
      if (rows && !rows.has(r.id)) continue;
      const next = lateProp(reports.get(r.id));
      if ((r.extendedProps.late ?? '') !== next) r.setExtendedProp('late', next);
    }
  });
}
