/** The key FullCalendar's premium plugins accept for AGPL-licensed software such as Crewline (docs/design.md §10). */
export const AGPL_CALENDAR_KEY = 'AGPL-My-Frontend-And-Backend-Are-Open-Source';
