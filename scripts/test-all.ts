/**
 * `npm test`: the unit/integration suite (vitest) and the browser suite (Playwright + Chromium), each
 * writing its JSON report to test-results/. Both always run; the exit code is non-zero if either failed.
 */
import { spawnSync } from 'node:child_process';

const run = (script: string) => spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

const unit = run('test:unit');
const e2e = run('test:e2e');
process.exit(unit === 0 && e2e === 0 ? 0 : 1);
