import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run web`'s entry in a child process, as a user runs it: resolves with the console's URL once the
 * host prints it. Shared by the browser tests and the board benchmark (which may point `root` at another
 * checkout to measure it side by side).
 */
export async function spawnWebHost(options: {
  args: string[];
  /** Starts the host's clock (and so its console's) at this instant: `--now`. */
  now?: string;
  root?: string;
  timeoutMs?: number;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const root = options.root ?? process.cwd();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'electron/backend/web-host.ts'), '--port', '0', '--no-open', ...(options.now ? ['--now', options.now] : []), ...options.args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
