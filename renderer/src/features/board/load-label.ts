import type { LoadFigure } from './board-load.ts';
import { fillClass } from './load-html.ts';

/**
 * The row label's capacity (issue 19, part 4) as DOM nodes, for `renderProviderLabel` in the calendar
 * bridge: a meter with its percentage (for the name line) and the day's words under it. Overbooked and
 * idle stand out by colour, the bar's shape and a word (board-load.css).
 */
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
