import type { CalendarOptions, EventDisplayInfo, MountInfo } from 'fullcalendar';
import type { ResourceCellInfo, ResourceLaneInfo } from 'fullcalendar-scheduler';
import type { Settings } from '../../../../core/model.ts';
import { renderProviderLabel } from './board-model.ts';
import { timeOffHtml } from './card-html.ts';

/** A week or a range is titled by its days ("Nov 23 – 29, 2026"), not only its month. */
const DAYS_TITLE = { year: 'numeric', month: 'short', day: 'numeric' } as const;

export const BOARD_VIEWS: CalendarOptions['views'] = {
  resourceTimelineDay: {
    slotDuration: '00:30',
    slotHeaderInterval: '01:00',
    slotHeaderFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    slotMinWidth: 34,
  },
  resourceTimelineWeek: {
    slotDuration: '01:00',
    slotHeaderFormat: [{ weekday: 'short', month: 'short', day: 'numeric' }, { hour: '2-digit', hour12: false }],
    slotMinWidth: 30,
    titleFormat: DAYS_TITLE,
  },
  resourceTimelineRange: {
    type: 'resourceTimeline',
    slotDuration: '02:00',
    slotHeaderFormat: [{ weekday: 'short', month: 'short', day: 'numeric' }, { hour: '2-digit', hour12: false }],
    slotMinWidth: 22,
    titleFormat: DAYS_TITLE,
  },
};

/**
 * The board's calendar options that follow from the organization's settings alone: the time axis, the
 * views, the rows and the time-off blocks. The board adds its data and its handlers; the FullCalendar floor
 * benchmark (bench/fc-floor-page.ts) uses the same, so it measures the calendar the board really builds.
 */
export function boardCalendarOptions(settings: Pick<Settings, 'timeZone' | 'timelineStart' | 'timelineEnd' | 'calendarLicenseKey'>): CalendarOptions {
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
    views: BOARD_VIEWS,
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
