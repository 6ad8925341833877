/**
 * The one date of the browser tests. Every web host and sync server a spec starts runs its clock from
 * `DEMO_NOW` (`--now`), and the console follows its backend's clock, so the specs hold whatever the real
 * date is; CI also runs them under a shifted system clock to prove it (.ci/run, README "Tests").
 */

/** The demo company's "today": a Tuesday, so the week view has a full working week around it. */
export const DEMO_DATE = '2026-11-24';
/** "Now" during the demo day: 08:00 in Chicago. */
export const DEMO_NOW = `${DEMO_DATE}T14:00:00Z`;
