import { Icon } from '../../components/Icon.tsx';
import type { FillAction } from './fill-action.ts';
import { memo, useEffect, useLayoutEffect, useRef, useState, type Ref } from 'react';
import type { BoardBooking } from '../../../../core/api/contract.ts';
import type { Customer, Service } from '../../../../core/model.ts';
import { STATUS_LABELS } from '../../../../core/status.ts';
import { toMs } from '../../../../core/time.ts';
import { priorityLabel } from './card-html.ts';
import { fmtDateTime, fmtTimeRange } from './time-format.ts';
import { queueDraggable } from './calendar/board-options.ts';
import { QUEUE_PAD, QUEUE_PITCH, queueWindow } from './queue-window.ts';

interface QueueProps {
  items: BoardBooking[];
  text: string;
  onText: (text: string) => void;
  zone: string;
  customers: ReadonlyMap<string, Customer>;
  services: ReadonlyMap<string, Service>;
  selectedId: string | null;
  /** A viewer's console: cards open the job but are not dragged. */
  readOnly: boolean;
  /** Folded to a narrow strip that gives the board the room (its count stays in view). */
  collapsed: boolean;
  onCollapse: (collapsed: boolean) => void;
  onOpen: (id: string) => void;
  /** Opens "Suggest a technician" for a card (not on a viewer's console). */
  onSuggest?: (id: string) => void;
  /** "Fill day" (fill-action.ts): the schedule assistant assigns the queue's jobs; null on a viewer's console. */
  fill?: FillAction | null;
  /** The queue's root element: the board checks whether a card was dragged back onto it. */
  rootRef: Ref<HTMLElement>;
}

/** How long a queued job lasts when dropped: its own slot, else the service's duration, else one hour. */
export function queuedDurationMs(b: BoardBooking, services: ReadonlyMap<string, Service>): number {
  if (b.slot) return toMs(b.slot.end) - toMs(b.slot.start);
  const service = b.serviceId ? services.get(b.serviceId) : undefined;
  return (service?.durationMinutes ?? 60) * 60_000;
}


/**
 * The unassigned queue beside the board: jobs with no technician (with or without a date). Cards are
 * dragged onto provider rows with FullCalendar's `Draggable`; the drop is handled by the board's
 * `eventReceive` (stage, or revert with the reason). Only the cards in view are rendered (`queueWindow`);
 * the others are the list's padding, inside its scroller.
 */
export const UnassignedQueue = memo(function UnassignedQueue({ items, text, onText, zone, customers, services, selectedId, readOnly, collapsed, onCollapse, onOpen, onSuggest, fill, rootRef }: QueueProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 1200 });
  const latest = useRef({ items, services, customers, zone });
  latest.current = { items, services, customers, zone };

  useEffect(() => {
    const list = listRef.current;
    // A viewer's queue is to look at: its cards open the job, they are not dragged anywhere.
    if (!list || readOnly) return;
    return queueDraggable(list, (el) => {
      const { items: current, services: svc } = latest.current;
      const id = el.dataset.bookingId ?? '';
      const b = current.find((x) => x.id === id);
      return { id, title: b?.title ?? '', durationMs: b ? queuedDurationMs(b, svc) : 3_600_000 };
    });
  }, [readOnly]);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const measure = () => {
      const top = scroller.scrollTop;
      const height = scroller.clientHeight;
      setScroll((prev) => (prev.top === top && prev.height === height ? prev : { top, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    scroller.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      scroller.removeEventListener('scroll', measure);
    };
  }, []);

  const { first, last } = queueWindow(items.length, scroll.top, scroll.height);
  const padding = { paddingTop: QUEUE_PAD + first * QUEUE_PITCH, paddingBottom: QUEUE_PAD + (items.length - last) * QUEUE_PITCH };

  return (
    // Collapsed, the list stays mounted (hidden by the stylesheet): its drag source and scroll window keep
    // their state for when it opens again.
    <aside className={`cl-queue${collapsed ? ' is-collapsed' : ''}`} ref={rootRef} aria-label="Unassigned jobs" data-queue="" data-collapsed={collapsed ? 'true' : undefined}>
      <div className="cl-queue__header">
        <div className="cl-queue__title-row">
          <h2>
            <span className="cl-queue__label">Unassigned</span> <span className="cl-count" data-queue-count={items.length}>{items.length}</span>
          </h2>
          {fill ? (
            <button
              type="button"
              className="cl-button cl-queue__fill"
              data-action="fill-day"
              disabled={'why' in fill}
              title={'why' in fill ? fill.why : "Assign this day's unassigned jobs to technicians: a proposal to review, staged only when you say so"}
              onClick={'open' in fill ? fill.open : undefined}
            >
              <Icon name="fill" /> {fill.label}
            </button>
          ) : null}
          <button
            type="button"
            className="cl-icon-button cl-queue__toggle"
            data-action="toggle-queue"
            aria-expanded={!collapsed}
            aria-label={collapsed ? 'Show the unassigned queue' : 'Hide the unassigned queue'}
            title={collapsed ? 'Show the unassigned queue' : 'Hide the unassigned queue: more room for the board'}
            onClick={() => onCollapse(!collapsed)}
          >
            <Icon name={collapsed ? 'chevronRight' : 'chevronLeft'} />
          </button>
        </div>
        <input
          type="search"
          className="cl-input cl-queue__search"
          placeholder="Search queue…"
          aria-label="Search unassigned jobs"
          value={text}
          onChange={(e) => onText(e.target.value)}
        />
      </div>
      <div className="cl-queue__scroller" ref={scrollerRef}>
        <ul className="cl-queue__list" ref={listRef} style={padding}>
          {items.slice(first, last).map((b, i) => {
            const customer = b.customerId ? customers.get(b.customerId)?.name : undefined;
            const service = b.serviceId ? services.get(b.serviceId)?.name : undefined;
            return (
              <li
                key={b.id}
                className={`cl-queue-card cl-prio-edge--${b.priority}${selectedId === b.id ? ' is-selected' : ''}${b.staged ? ' is-staged' : ''}`}
                data-booking-id={b.id}
                data-status={b.status}
                data-staged={b.staged ? 'true' : undefined}
                aria-posinset={first + i + 1}
                aria-setsize={items.length}
                tabIndex={0}
                onClick={() => onOpen(b.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') onOpen(b.id);
                }}
                title={`${b.title}\nDrag onto a technician's row to assign`}
              >
                <div className="cl-queue-card__top">
                  <span className="cl-queue-card__title">{b.title}</span>
                  {b.priority === 'high' || b.priority === 'emergency' ? (
                    <span className={`cl-prio cl-prio--${b.priority}`}>{priorityLabel(b.priority)}</span>
                  ) : null}
                  {onSuggest && !readOnly ? (
                    <button
                      type="button"
                      className="cl-link-button cl-queue-card__suggest"
                      data-action="suggest"
                      title="Suggest a technician (S)"
                      aria-label={`Suggest a technician for ${b.title}`}
                      onClick={(e) => {
                        e.stopPropagation(); // not also the card's click, which opens the job
                        onSuggest(b.id);
                      }}
                    >
                      Suggest
                    </button>
                  ) : null}
                </div>
                <div className="cl-queue-card__meta">
                  {customer ?? 'No customer'}
                  {service ? ` · ${service}` : ''}
                </div>
                <div className="cl-queue-card__when">
                  {b.slot
                    ? `${fmtDateTime(b.slot.start, zone).split(',')[0]}, ${fmtTimeRange(toMs(b.slot.start), toMs(b.slot.end), zone)}`
                    : `No date · ${Math.round(queuedDurationMs(b, services) / 60_000)} min`}
                  <span className={`cl-status cl-status--${b.status}`}>{STATUS_LABELS[b.status]}</span>
                  {b.staged ? <span className="cl-staged-dot">unsaved</span> : null}
                </div>
              </li>
            );
          })}
          {items.length === 0 ? <li className="cl-queue__empty">{text ? 'No match' : 'Every job has a technician'}</li> : null}
        </ul>
      </div>
    </aside>
  );
});
