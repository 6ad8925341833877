/**
 * `npm run demo`: opens (creating and seeding on first run) a local workspace and prints what the board
 * would show today. Flags: --data-dir DIR (default .crewline-data), --date YYYY-MM-DD.
 */
import { parseArgs } from 'node:util';
import { dayBoundsMs, severityOf } from '../../core/index';
import { DEMO_TIME_ZONE } from '../../core/demo/demo-company';
import { systemClock, todayIn } from '../../core/clock';
import { openWorkspace } from './workspace';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string', default: '.crewline-data' }, date: { type: 'string' } },
});
let opened: ReturnType<typeof openWorkspace>;
try {
  opened = openWorkspace({ dataDir: values['data-dir'], seedDemo: true, demoDate: values.date });
} catch (error) {
  // E.g. the workspace is open in a running web host: say so, without a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const { store, demo } = opened;
try {
  const settings = store.queries.settings();
  const date = values.date ?? todayIn(systemClock, settings.timeZone ?? DEMO_TIME_ZONE);
  const [from, to] = dayBoundsMs(date, settings.timeZone);
  const today = store.queries.bookingsInRange(from, to);
  const conflicts = store.queries.conflictsInRange(from, to);
  const red = today.filter((b) => severityOf(conflicts.get(b.id)) === 'red').length;
  const amber = today.filter((b) => severityOf(conflicts.get(b.id)) === 'amber').length;
  console.log(demo ? `Created the demo company in ${store.path}` : `Opened ${store.path}`);
  console.log(`${settings.name} (${settings.timeZone}) — ${date}`);
  console.log(`  providers: ${store.queries.providers().length}, customers: ${store.queries.customers().length}`);
  console.log(`  jobs today: ${today.length} (${red} double-booked, ${amber} with other rule breaks)`);
  console.log(`  unassigned queue: ${store.queries.unassigned().length}`);
  for (const p of store.queries.providers({ includeInactive: false })) {
    const jobs = store.queries.providerDay(p.id, date);
    console.log(`  ${p.name.padEnd(22)} ${jobs.map((b) => b.title).join(' | ') || '—'}`);
  }
} finally {
  store.close();
}
