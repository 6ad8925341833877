/**
 * The FullCalendar floor page (bench/fc-floor.ts): a bare resource timeline WEEK with the board's calendar
 * options (renderer/src/features/board/Board.tsx) and nothing else of the app: no React, no API client,
 * no queue, no header. What it does share with the board is what FullCalendar is given: the backend's own
 * week (`boardRange` over the board bench's store), mapped by the board's own `board-model.ts` (events,
 * time off, rows, card HTML and classes), styled by the app's stylesheets. Bundled by esbuild
 * (bench/fc-floor-server.ts); bench/board-page.ts's `probe` reads it as it reads the board.
 */
import { Calendar, type CalendarOptions, type EventApi, type EventDisplayInfo, type MountInfo } from 'fullcalendar';
import interactionPlugin from 'fullcalendar/interaction';
import classicThemePlugin from 'fullcalendar/themes/classic';
import resourceTimelinePlugin from 'fullcalendar-scheduler/resource-timeline';
import type { ResourceCellInfo, ResourceLaneInfo } from 'fullcalendar-scheduler';
import 'fullcalendar/skeleton.css';
import 'fullcalendar/themes/classic/theme.css';
import 'fullcalendar/themes/classic/palette.css';
import '../renderer/src/styles/app.css';
import '../renderer/src/styles/board.css';
import type { BoardView } from '../core/api/contract';
import type { Customer, Provider, Service, Settings } from '../core/model';
import { toMs } from '../core/time';
import {
  bookingEventInput,
  cardClassNames,
  cardHtml,
  renderProviderLabel,
  resourceInputs,
  timeOffEventInputs,
  timeOffHtml,
  type BoardContext,
  type CardLook,
} from '../renderer/src/features/board/board-model';

/** Set by the server in `#floor-config` (both modes). */
export interface FloorConfig {
  /** The pinned "now" (the now line), as the board bench pins it. */
  now: string;
  /** `inline`: the data is in `#floor-data`; `fetch`: read from `dataUrl` as soon as the bundle runs. */
  mode: 'inline' | 'fetch';
  dataUrl: string;
  /** The eventDrop handler marks the card staged (one more calendar render), as the board's cards show it. */
  staged: boolean;
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
// The board's calendar options (Board.tsx `options` and `VIEWS`), minus the app's own callbacks.

const options: CalendarOptions = {
  plugins: [classicThemePlugin, interactionPlugin, resourceTimelinePlugin],
  schedulerLicenseKey: settings.calendarLicenseKey,
  timeZone: settings.timeZone,
  initialView: 'resourceTimelineWeek',
  initialDate: week.from,
  firstDay: 1,
  now: config.now,
  nowIndicator: true,
  headerToolbar: false,
  height: '100%',
  virtualization: true,
  editable: true,
  droppable: true,
  eventResourceEditable: true,
  snapDuration: '00:15',
  dragRevertDuration: 0,
  slotMinTime: settings.timelineStart,
  slotMaxTime: settings.timelineEnd,
  scrollTime: settings.timelineStart,
  views: {
    resourceTimelineWeek: {
      slotDuration: '01:00',
      slotHeaderFormat: [{ weekday: 'short', month: 'short', day: 'numeric' }, { hour: '2-digit', hour12: false }],
      slotMinWidth: 30,
      titleFormat: { year: 'numeric', month: 'short', day: 'numeric' },
    },
  },
  resources: resourceInputs(data.providers, new Set()),
  resourceOrder: 'sortOrder,title',
  resourceColumnsWidth: 230,
  resourceColumnHeaderContent: 'Technicians',
  resourceCellContent: (info: ResourceCellInfo) => (info.resource ? { domNodes: [renderProviderLabel(info.resource)] } : undefined),
  resourceLaneClass: 'cl-lane',
  resourceLaneDidMount: (info: MountInfo<ResourceLaneInfo>) => {
    info.el.dataset.laneProviderId = info.resource.id;
  },
  nonBusinessHoursClass: 'cl-offhours',
  eventClass: (info: EventDisplayInfo) => cardClassNames(lookOf(info.event)?.card, info.isMirror),
  eventContent: (info: EventDisplayInfo) => {
    const look = lookOf(info.event);
    return look ? { html: cardHtml(look.card) } : undefined;
  },
  backgroundEventClass: (info: EventDisplayInfo) => (info.event.extendedProps.kind === 'timeoff' ? 'cl-timeoff' : ''),
  backgroundEventContent: (info: EventDisplayInfo) =>
    info.event.extendedProps.kind === 'timeoff' ? { html: timeOffHtml(String(info.event.extendedProps.reason)) } : undefined,
  selectable: true,
  selectMinDistance: 6,
  // Accept every drop (FullCalendar has already moved the event); optionally mark the card staged, as the
  // board's answer does (one more calendar action and render).
  eventDrop: (info) => {
    const look = lookOf(info.event);
    if (config.staged && look) info.event.setExtendedProp('look', { ...look, card: { ...look.card, staged: true } });
  },
};

// Events in the constructor: one array source, ingested once (the cheapest way in).
const calendar = new Calendar(document.querySelector<HTMLElement>('.cl-timeline')!, { ...options, events });
marks.built = performance.now();
calendar.render();
marks.rendered = performance.now();
window.__floor.calendar = calendar;
