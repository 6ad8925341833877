import { escapeHtml } from '../../../../core/html.ts';
import type { LoadFigure } from './board-load.ts';

/**
 * How a day's load looks (issue 19, part 4): a week overview cell, as an HTML string (no DOM here: unit
 * tests run in Node; the row label's DOM nodes are load-label.ts). Overbooked and idle days stand out by colour AND by a word (`flag`) and the bar's shape
 * (board-load.css). The CSP allows no style attributes, so a bar's length is one of 21 classes
 * (`cl-fill-0` … `cl-fill-100`, 5% steps), never an inline width.
 */

export const fillClass = (fill: number): string => `cl-fill-${Math.round(Math.max(0, Math.min(1, fill)) * 20) * 5}`;

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
    `<span class="adm-sr-only">${escapeHtml(sentence)}</span>`,
    `<div class="cl-loadcell__top" aria-hidden="true">${pct}${flag}</div>`,
    `<div class="cl-loadcell__bar" aria-hidden="true"><span class="cl-loadcell__fill ${fillClass(f.fill)}"></span></div>`,
    `<div class="cl-loadcell__meta" aria-hidden="true">${escapeHtml(f.counts)}</div>`,
    `<div class="cl-loadcell__hours" aria-hidden="true">${escapeHtml(f.hours)}</div>`,
    '</div>',
  ].join('');
}
