/**
 * The calendar's options that follow from the settings alone (the floor benchmark, bench/fc-floor-page.ts,
 * uses them too): the views, the rows' look, and the queue's external drag.
 */
import type { CalendarOptions, EventDisplayInfo, MountInfo } from 'fullcalendar';
import { Draggable } from 'fullcalendar/interaction';
import type { ResourceCellInfo, ResourceLaneInfo } from 'fullcalendar-scheduler';
import type { Settings } from '../../../../../core/model.ts';
import { clockOptions, type TimeFormat } from '../../../../../core/format.ts';
import { timeOffHtml } from '../card-html.ts';
import { renderProviderLabel } from './provider-label.ts';

/** A week or a range is titled by its days ("Nov 23 – 29, 2026"), not only its month. */
const DAYS_TITLE = { year: 'numeric', month: 'short', day: 'numeric' } as const;

/** The time axis in the organization's clock (core/format.ts): "9 AM" or "09:00"; "9a" or "09" where hours are narrow. */
type SlotFormat = { hour: 'numeric' | '2-digit'; minute?: '2-digit'; hour12: boolean; meridiem?: 'narrow' };
const axisHour = (f: TimeFormat): SlotFormat => (f === '12h' ? { hour: 'numeric', hour12: true } : { hour: '2-digit', minute: '2-digit', hour12: false });
const narrowHour = (f: TimeFormat): SlotFormat => (f === '12h' ? { hour: 'numeric', hour12: true, meridiem: 'narrow' } : { hour: '2-digit', hour12: false });

export const boardViews = (timeFormat: TimeFormat): CalendarOptions['views'] => ({
  resourceTimelineDay: { slotDuration: '00:30', slotHeaderInterval: '01:00', slotHeaderFormat: axisHour(timeFormat), slotMinWidth: 34 },
  resourceTimelineWeek: {
    slotDuration: '01:00',
    slotHeaderFormat: [{ weekday: 'short', month: 'short', day: 'numeric' }, narrowHour(timeFormat)],
    slotMinWidth: 30,
    titleFormat: DAYS_TITLE,
  },
  // The week overview (issue 19): one day-sized slot per day, a summary cell per provider and day instead
  // of the job cards (`loadCellInputs`); nothing in it is dragged, resized or drawn out.
  resourceTimelineWeekLoad: {
    type: 'resourceTimeline',
    duration: { weeks: 1 },
    slotDuration: { days: 1 },
    slotMinTime: '00:00',
    slotMaxTime: '24:00',
    slotHeaderFormat: { weekday: 'short', month: 'short', day: 'numeric' },
    slotMinWidth: 80, // 7 days beside the queue and the rows at 1280 px: the slots stretch to fill
    titleFormat: DAYS_TITLE,
    editable: false,
    droppable: false,
    selectable: false,
    eventInteractive: true,
    nowIndicator: false, // a line at 08:00 of one day means nothing in day-sized slots, and crosses the figures
  },
  resourceTimelineRange: {
    type: 'resourceTimeline',
    slotDuration: '02:00',
    slotHeaderFormat: [{ weekday: 'short', month: 'short', day: 'numeric' }, narrowHour(timeFormat)],
    slotMinWidth: 22,
    titleFormat: DAYS_TITLE,
  },
});

export function boardCalendarOptions(settings: Pick<Settings, 'timeZone' | 'timelineStart' | 'timelineEnd' | 'calendarLicenseKey' | 'timeFormat'>): CalendarOptions {
  return {
    schedulerLicenseKey: settings.calendarLicenseKey,
    timeZone: settings.timeZone,
    firstDay: 1, // dispatch weeks start on Monday
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
    views: boardViews(settings.timeFormat),
    eventTimeFormat: clockOptions(settings.timeFormat),
    resourceOrder: 'sortOrder,title',
    resourceColumnsWidth: 230,
    resourceColumnHeaderContent: 'Technicians',
    resourceCellContent: (info: ResourceCellInfo) => (info.resource ? { domNodes: [renderProviderLabel(info.resource)] } : undefined),
    resourceLaneClass: 'cl-lane',
    resourceLaneDidMount: (info: MountInfo<ResourceLaneInfo>) => {
      info.el.dataset.laneProviderId = info.resource.id;
    },
    nonBusinessHoursClass: 'cl-offhours',
    backgroundEventClass: (info: EventDisplayInfo) => (info.event.extendedProps.kind === 'timeoff' ? 'cl-timeoff' : ''),
    backgroundEventContent: (info: EventDisplayInfo) =>
      info.event.extendedProps.kind === 'timeoff' ? { html: timeOffHtml(String(info.event.extendedProps.reason)) } : undefined,
    selectable: true,
    selectMinDistance: 6,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const durationInput = (ms: number) => `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.round((ms % 3_600_000) / 60_000))}`;

/** The queue's cards dragged onto rows (FullCalendar's external drag); the drop arrives as `eventReceive`. */
export function queueDraggable(list: HTMLElement, eventData: (el: HTMLElement) => { id: string; title: string; durationMs: number }): () => void {
  const draggable = new Draggable(list, {
    itemSelector: '.cl-queue-card',
    eventData: (el) => {
      const { id, title, durationMs } = eventData(el);
      return { id, title, duration: durationInput(durationMs), create: true, extendedProps: { kind: 'booking', fromQueue: true, durationMs } };
    },
  });
  return () => draggable.destroy();
}