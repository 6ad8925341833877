/**
 * The FullCalendar floor page (bench/fc-floor.ts): a bare resource timeline WEEK with the board's calendar
 * options (renderer/src/features/board/Board.tsx) and nothing else of the app: no React, no API client,
 * no queue, no header. What it does share with the board is what FullCalendar is given: the backend's own
 * week (`boardRange` over the board bench's store), mapped by the board's own `board-model.ts` and `calendar/` (events,
 * time off, rows, card HTML and classes), styled by the app's stylesheets. Bundled by esbuild
 * (bench/fc-floor-server.ts); bench/board-page.ts's `probe` reads it as it reads the board.
 */
import { Calendar, type CalendarOptions, type EventApi, type EventDisplayInfo } from 'fullcalendar';
import interactionPlugin from 'fullcalendar/interaction';
import classicThemePlugin from 'fullcalendar/themes/classic';
import resourceTimelinePlugin from 'fullcalendar-scheduler/resource-timeline';
import type {} from 'fullcalendar-scheduler';
import 'fullcalendar/skeleton.css';
import 'fullcalendar/themes/classic/theme.css';
import 'fullcalendar/themes/classic/palette.css';
import '../renderer/src/styles/app.css';
import '../renderer/src/styles/board.css';
import type { BoardView } from '../core/api/contract';
import type { Customer, Provider, Service, Settings } from '../core/model';
import { toMs } from '../core/time';
import type { BoardContext, CardLook } from '../renderer/src/features/board/board-model';
import { boardCalendarOptions } from '../renderer/src/features/board/calendar/board-options';
import { bookingEventInput, resourceInputs, timeOffEventInputs } from '../renderer/src/features/board/calendar/event-inputs';
import { cardClassNames, cardHtml } from '../renderer/src/features/board/card-html';

/** Set by the server in `#floor-config` (both modes). */
export interface FloorConfig {
  /** The pinned "now" (the now line), as the board bench pins it. */
  now: string;
  /** `inline`: the data is in `#floor-data`; `fetch`: read from `dataUrl` as soon as the bundle runs. */
  mode: 'inline' | 'fetch';
  dataUrl: string;
}

/** What the app reads before it builds the calendar: the roster and the week (`board:getRange`). */
export interface FloorData {
  settings: Settings;
  providers: Provider[];
  customers: Customer[];
  services: Service[];
  week: { from: string; to: string; view: BoardView };
}

declare global {
  interface Window {
    __floor: {
      calendar: Calendar | null;
      /** performance.now() of the mount's steps (bench/fc-floor.ts prints them). */
      marks: { script: number; data?: number; built?: number; rendered?: number };
    };
  }
}

const marks: Window['__floor']['marks'] = { script: performance.now() };
window.__floor = { calendar: null, marks };

const config = JSON.parse(document.getElementById('floor-config')!.textContent!) as FloorConfig;
// Fetch mode: the request leaves as soon as the bundle runs, as the app's first read does.
const dataPromise: Promise<FloorData> =
  config.mode === 'fetch'
    ? fetch(config.dataUrl).then((r) => r.json() as Promise<FloorData>)
    : Promise.resolve(JSON.parse(document.getElementById('floor-data')!.textContent!) as FloorData);

const data = await dataPromise;
marks.data = performance.now();
const { settings, week } = data;
const ctx: BoardContext = {
  zone: settings.timeZone,
  autoResize: settings.autoResize,
  nowMs: toMs(config.now),
  customers: new Map(data.customers.map((c) => [c.id, c])),
  services: new Map(data.services.map((s) => [s.id, s])),
  selectedId: null,
};
const events = week.view.bookings.flatMap((b) => bookingEventInput(b, week.view.conflicts[b.id], ctx) ?? []);
events.push(...timeOffEventInputs(data.providers, toMs(week.from), toMs(week.to)));
// The board keeps a card's look beside the calendar (CalendarSync); here it stays in the event.
const lookOf = (event: EventApi) => (event.extendedProps as { look?: CardLook }).look;

// ---------------------------------------------------------------------------------------------------
// The board's calendar options (calendar/board-options.ts, as the board builds them), minus the app's handlers.

const options: CalendarOptions = {
  plugins: [classicThemePlugin, interactionPlugin, resourceTimelinePlugin],
  ...boardCalendarOptions(settings),
  initialView: 'resourceTimelineWeek',
  initialDate: week.from,
  now: config.now,
  resources: resourceInputs(data.providers, new Set()),
  eventClass: (info: EventDisplayInfo) => cardClassNames(lookOf(info.event)?.card, info.isMirror),
  eventContent: (info: EventDisplayInfo) => {
    const look = lookOf(info.event);
    return look ? { html: cardHtml(look.card) } : undefined;
  },
  // Accept every drop: FullCalendar has already moved the event.
};

// Events in the constructor: one array source, ingested once (the cheapest way in).
const calendar = new Calendar(document.querySelector<HTMLElement>('.cl-timeline')!, { ...options, events });
marks.built = performance.now();
calendar.render();
marks.rendered = performance.now();
window.__floor.calendar = calendar;
