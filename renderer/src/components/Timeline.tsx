import { Calendar, type CalendarOptions } from 'fullcalendar';
import interactionPlugin from 'fullcalendar/interaction';
import classicThemePlugin from 'fullcalendar/themes/classic';
import resourceTimelinePlugin from 'fullcalendar-scheduler/resource-timeline';
// Type-only import: pulls in the scheduler's augmentation of CalendarOptions (resources, resourceCell*, ...).
import type {} from 'fullcalendar-scheduler';
import { useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import 'fullcalendar/skeleton.css';
import 'fullcalendar/themes/classic/theme.css';
import 'fullcalendar/themes/classic/palette.css';

/**
 * Our thin React wrapper over FullCalendar v7's vanilla `Calendar` (docs/design.md §10): the official v7 React
 * package does not install as published. The calendar is created and destroyed in a layout effect; every
 * function option is passed as a stable trampoline that calls the latest prop (so a re-render never makes
 * FullCalendar re-render for a new closure); other changed options go through `resetOptions` with the
 * names that changed. Events are NOT a prop: the owner adds/updates/removes single events through the
 * calendar API (`handle.api`), because replacing the whole events array costs ~170 ms at 10k events.
 */
export interface TimelineHandle {
  /** The live calendar, or null before mount / after unmount. */
  readonly api: Calendar | null;
  /** The element the calendar renders into (for reading or repainting what it rendered). */
  readonly el: HTMLElement | null;
}

export interface TimelineProps {
  /** Options without plugins; function options may change identity freely. */
  options: CalendarOptions;
  className?: string;
  ref?: Ref<TimelineHandle>;
}

const PLUGINS = [classicThemePlugin, interactionPlugin, resourceTimelinePlugin];

type AnyFn = (...args: unknown[]) => unknown;
type OptionRecord = Record<string, unknown>;

export function Timeline({ options, className, ref }: TimelineProps) {
  const elRef = useRef<HTMLDivElement>(null);
  const calendarRef = useRef<Calendar | null>(null);
  const latest = useRef<OptionRecord>(options as OptionRecord);
  latest.current = options as OptionRecord;
  const trampolines = useRef(new Map<string, AnyFn>());
  /** The options object last handed to FullCalendar (with trampolines in place of functions). */
  const applied = useRef<OptionRecord>({});

  /** Functions become trampolines that look up the latest prop at call time. */
  const withTrampolines = (input: OptionRecord): OptionRecord => {
    const out: OptionRecord = {};
    for (const [name, value] of Object.entries(input)) {
      if (typeof value === 'function') {
        let t = trampolines.current.get(name);
        if (!t) {
          t = (...args: unknown[]) => {
            const fn = latest.current[name];
            return typeof fn === 'function' ? (fn as AnyFn)(...args) : undefined;
          };
          trampolines.current.set(name, t);
        }
        out[name] = t;
      } else {
        out[name] = value;
      }
    }
    return out;
  };

  useImperativeHandle(ref, () => ({
    get api() {
      return calendarRef.current;
    },
    get el() {
      return elRef.current;
    },
  }), []);

  useLayoutEffect(() => {
    const el = elRef.current;
    if (!el) return;
    const initial = withTrampolines(latest.current);
    applied.current = initial;
    const calendar = new Calendar(el, { ...(initial as CalendarOptions), plugins: PLUGINS });
    calendarRef.current = calendar;
    calendar.render();
    const stopNudging = nudgeAfterJumps(el);
    return () => {
      stopNudging();
      calendarRef.current = null;
      calendar.destroy();
    };
    // Created once; later option changes go through resetOptions below.
  }, []);

  useLayoutEffect(() => {
    const calendar = calendarRef.current;
    if (!calendar) return;
    const next = withTrampolines(options as OptionRecord);
    const prev = applied.current;
    const changed = new Set<string>();
    for (const name of Object.keys(next)) if (!Object.is(next[name], prev[name])) changed.add(name);
    for (const name of Object.keys(prev)) if (!(name in next)) changed.add(name);
    if (changed.size === 0) return;
    applied.current = next;
    calendar.resetOptions({ ...next, plugins: PLUGINS }, [...changed]);
  });

  return <div ref={elRef} className={`cl-timeline ${className ?? ''}`} data-timeline="" />;
}

/**
 * docs/design.md §10: after a long jump (End/Home, programmatic scroll) FullCalendar 7.0.2 can leave its
 * virtualised lanes unrendered or off their labels until the next scroll (seen here: a blank lanes pane
 * after Home at 200 providers, now and then). Once scrolling settles, scroll the pane that moved by one
 * pixel and back: a real scroll, which is what makes the calendar render and re-sync. The nudge's own
 * scroll events are ignored, so it cannot loop.
 */
function nudgeAfterJumps(root: HTMLElement): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nudging = false;
  const onScroll = (event: Event) => {
    if (nudging || !(event.target instanceof HTMLElement)) return;
    const scroller = event.target;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const top = scroller.scrollTop;
      nudging = true;
      scroller.scrollTop = top > 0 ? top - 1 : top + 1;
      requestAnimationFrame(() => {
        scroller.scrollTop = top;
        // The nudge's scroll events arrive before the next frames; stop ignoring after them.
        requestAnimationFrame(() => requestAnimationFrame(() => (nudging = false)));
      });
    }, 80);
  };
  root.addEventListener('scroll', onScroll, { capture: true, passive: true });
  return () => {
    clearTimeout(timer);
    root.removeEventListener('scroll', onScroll, { capture: true });
  };
}
