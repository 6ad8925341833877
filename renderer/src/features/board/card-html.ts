import type { Priority, Status } from '../../../../core/model.ts';
import { escapeHtml } from '../../../../core/html.ts';
import { STATUS_LABELS } from '../../../../core/status.ts';
import { initials, nameList, offlineChangeText, viewersText } from '../sync/sync-labels.ts';

/**
 * A card's look as HTML and class names: pure (no DOM, no calendar), so it is unit-tested and the board,
 * the benchmark's FullCalendar floor and the time-off labels share it. board-model.ts builds the models,
 * calendar/calendar-sync.ts keeps the calendar in step.
 */

export interface CardModel {
  id: string;
  title: string;
  customer: string;
  service: string;
  time: string;
  arrival: string | null;
  priority: Priority;
  status: Status;
  staged: boolean;
  late: boolean;
  /** The technician's own "Running late: …" report, while it stands (core/assistant/running-late.ts). */
  lateNote?: string | null;
  severity: 'red' | 'amber' | null;
  reasons: string[];
  team: string | null;
  selected: boolean;
  editable: boolean;
  /** Who changed this job while this desktop was offline (until dismissed in the job panel). */
  offlineBy: readonly string[];
  /** Who has this job open on another desktop now. */
  viewers: readonly string[];
}

/**
 * A status's words; one this console does not know (a newer desktop's, or data the backend let through)
 * reads as such instead of breaking the card.
 */
const statusLabel = (status: Status): string => STATUS_LABELS[status] ?? 'Unknown status';

const PRIORITY_LABEL: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', emergency: 'Emergency' };
export const priorityLabel = (p: Priority) => PRIORITY_LABEL[p];

export function cardTooltip(card: CardModel): string {
  const lines = [
    `${card.title}${card.customer ? ` — ${card.customer}` : ''}`,
    `${card.time}${card.arrival ? ` · ${card.arrival}` : ''}`,
    `${statusLabel(card.status)}${card.staged ? ' (unsaved change)' : ''}${card.late ? ' · running late' : ''}`,
  ];
  if (card.lateNote) lines.push(card.lateNote);
  if (card.service) lines.splice(1, 0, card.service);
  if (card.reasons.length) lines.push('', ...card.reasons.map((r) => `⚠ ${r}`));
  if (card.offlineBy.length) lines.push('', offlineChangeText(card.offlineBy));
  if (card.viewers.length) lines.push('', viewersText(card.viewers));
  return lines.join('\n');
}

function tag(name: 'div' | 'span', className: string, text: string, attrs = ''): string {
  return `<${name} class="${className}"${attrs}>${escapeHtml(text)}</${name}>`;
}

const cardHtmlCache = new WeakMap<CardModel, string>();

/**
 * The inside of a card, as HTML (our data attributes live here: FullCalendar's own class names are
 * hashed). A string, not DOM nodes, because FullCalendar calls the content hook for every card on
 * every render: new nodes replaced each card's content (a layout of the whole board per drop), while
 * an unchanged string is left alone by its diff. Cached per model: a card's model is rebuilt when it
 * changes. Only static style classes: the CSP has no 'unsafe-inline' for style attributes.
 */
export function cardHtml(card: CardModel): string {
  const cached = cardHtmlCache.get(card);
  if (cached !== undefined) return cached;
  const data = [
    ` data-booking-id="${escapeHtml(card.id)}"`,
    ` data-status="${card.status}"`,
    card.severity ? ` data-conflict="${card.severity}"` : '',
    card.staged ? ' data-staged="true"' : '',
    card.late ? ' data-late="true"' : '',
    card.lateNote ? ` data-late-note="${escapeHtml(card.lateNote)}"` : '',
    card.selected ? ' data-selected="true"' : '',
    card.viewers.length ? ` data-viewed-by="${escapeHtml(card.viewers.join(', '))}"` : '',
    card.offlineBy.length ? ` data-offline-by="${escapeHtml(card.offlineBy.join(', '))}"` : '',
    ` title="${escapeHtml(cardTooltip(card))}"`,
  ].join('');

  // The conflict mark comes first so that even a narrow card shows it.
  let top = card.severity ? tag('span', `cl-conflict-icon cl-conflict-icon--${card.severity}`, '!') : '';
  top += tag('span', 'cl-card__time', card.time);
  if (card.priority === 'high' || card.priority === 'emergency') top += tag('span', `cl-prio cl-prio--${card.priority}`, PRIORITY_LABEL[card.priority]);
  if (card.late) top += tag('span', 'cl-late-badge', 'Late');
  if (card.staged) top += tag('span', 'cl-staged-dot', 'unsaved');
  if (card.offlineBy.length) {
    top += tag('span', 'cl-offline-badge', `Changed by ${nameList(card.offlineBy)}`, ` title="${escapeHtml(offlineChangeText(card.offlineBy))}"`);
  }
  const viewers = card.viewers.length
    ? tag('span', 'cl-viewer-badge', card.viewers.map(initials).join(' '), ` title="${escapeHtml(viewersText(card.viewers))}"`)
    : '';
  let bottom = tag('span', `cl-status cl-status--${card.status}`, statusLabel(card.status));
  if (card.team) bottom += tag('span', 'cl-card__team', `Team ${card.team}`);
  if (card.arrival) bottom += tag('span', 'cl-card__arrival', card.arrival);

  const html =
    `<div class="cl-card__content"${data}>` +
    viewers +
    `<div class="cl-card__top">${top}</div>` +
    tag('div', 'cl-card__customer', card.customer || card.title) +
    tag('div', 'cl-card__service', card.service || card.title) +
    (card.lateNote ? tag('div', 'cl-card__late-note', card.lateNote) : '') +
    `<div class="cl-card__bottom">${bottom}</div>` +
    '</div>';
  cardHtmlCache.set(card, html);
  return html;
}

/** The class names of a card's element (FullCalendar's event element; `cl-card--mirror` is the drag's copy). */
export function cardClassNames(card: CardModel | undefined, isMirror = false): string {
  if (!card) return 'cl-card cl-card--pending';
  const names = ['cl-card', `cl-card--${card.status}`];
  if (card.severity) names.push(`cl-card--${card.severity}`);
  if (card.staged) names.push('cl-card--staged');
  if (card.late) names.push('cl-card--late');
  if (card.lateNote) names.push('cl-card--late-report');
  if (card.selected) names.push('cl-card--selected');
  if (isMirror) names.push('cl-card--mirror');
  return names.join(' ');
}

/** A card whose booking the board has not read yet (just dropped from the queue). */
export function pendingCardHtml(id: string, title: string): string {
  return `<div class="cl-card__content" data-booking-id="${escapeHtml(id)}" data-staged="true">${escapeHtml(title)}</div>`;
}

export function timeOffHtml(reason: string): string {
  return tag('div', 'cl-timeoff__label', reason, ` title="${escapeHtml(`Time off: ${reason}`)}"`);
}
