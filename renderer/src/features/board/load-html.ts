import { escapeHtml } from '../../../../core/html.ts';
import type { LoadFigure } from './board-load.ts';

/**
 * How a day's load looks (issue 19, part 4): the meter and words in a provider's row label, and a week
 * overview cell. Overbooked and idle days stand out by colour AND by a word (`flag`) and the bar's shape
 * (board-load.css). The CSP allows no style attributes, so a bar's length is one of 21 classes
 * (`cl-fill-0` … `cl-fill-100`, 5% steps), never an inline width.
 */

export const fillClass = (fill: number): string => `cl-fill-${Math.round(Math.max(0, Math.min(1, fill)) * 20) * 5}`;

/** The row label's capacity: a meter with its percentage (the name line) and the words under it. */
export function capacityNodes(f: LoadFigure, title: string): { meter: HTMLElement; words: HTMLElement } {
  const meter = document.createElement('span');
  meter.className = `cl-capacity cl-capacity--${f.band}`;
  meter.dataset.capacityBand = f.band;
  meter.dataset.utilization = f.percent;
  meter.title = title;
  // A meter for screen readers: its text says what the bar shows.
  meter.setAttribute('role', 'meter');
  meter.setAttribute('aria-valuemin', '0');
  meter.setAttribute('aria-valuemax', '100');
  meter.setAttribute('aria-valuenow', String(Math.round(f.fill * 100)));
  meter.setAttribute('aria-valuetext', title);
  const bar = document.createElement('span');
  bar.className = 'cl-capacity__bar';
  const fill = document.createElement('span');
  fill.className = `cl-capacity__fill ${fillClass(f.fill)}`;
  bar.append(fill);
  const pct = document.createElement('span');
  pct.className = 'cl-capacity__pct';
  pct.textContent = f.utilization === null ? (f.bookedMinutes > 0 ? 'Day off' : 'Off') : f.percent;
  meter.append(bar, pct);

  const words = document.createElement('span');
  words.className = 'cl-capacity__words';
  words.title = title;
  if (f.flag && f.band !== 'off') {
    const flag = document.createElement('span');
    flag.className = `cl-capacity__flag cl-capacity__flag--${f.band}`;
    flag.textContent = f.flag;
    words.append(flag, ' ');
  }
  words.append(`${f.counts} · ${f.hours}`);
  return { meter, words };
}

/**
 * A week-overview cell (one provider, one day), as HTML: FullCalendar leaves an unchanged string alone on
 * re-render. `sentence` is its tooltip and what a screen reader reads (board-load.ts `loadSentence`).
 */
export function loadCellHtml(f: LoadFigure, sentence: string): string {
  const flag = f.flag ? `<span class="cl-loadcell__flag">${escapeHtml(f.flag)}</span>` : '';
  const pct = f.utilization === null ? '' : `<span class="cl-loadcell__pct">${escapeHtml(f.percent)}</span>`;
  return [
    `<div class="cl-loadcell cl-loadcell--${f.band}" data-load-cell="${escapeHtml(`${f.providerId}:${f.date}`)}"`,
    ` data-band="${f.band}" data-utilization="${escapeHtml(f.percent)}" data-jobs="${f.jobs}" data-conflicts="${f.conflicts}" title="${escapeHtml(sentence)}">`,
    `<span class="cl-visually-hidden">${escapeHtml(sentence)}</span>`,
    `<div class="cl-loadcell__top" aria-hidden="true">${pct}${flag}</div>`,
    `<div class="cl-loadcell__bar" aria-hidden="true"><span class="cl-loadcell__fill ${fillClass(f.fill)}"></span></div>`,
    `<div class="cl-loadcell__meta" aria-hidden="true">${escapeHtml(f.counts)}</div>`,
    `<div class="cl-loadcell__hours" aria-hidden="true">${escapeHtml(f.hours)}</div>`,
    '</div>',
  ].join('');
}
