/** `npm run bench`: every benchmark in turn; each prints its own table. */
export {};
await import('./store-bench');
// The board in Chromium against the web host (needs /usr/bin/chromium or CHROMIUM_PATH; builds the renderer if stale).
await import('./board-bench');
// FullCalendar alone on the board's week: the floor under the board's first paint and drop.
await import('./fc-floor');
// Crewline's sync server against the stock @y/websocket-server, each in a child process.
await import('./sync-bench');
// What the sync server's link check adds to applying an update (in process).
await import('./item-links-bench');
// What the sync server's document rules add to applying an update (in process).
await import('./update-rules-bench');
