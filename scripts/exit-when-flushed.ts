import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Exits once stdout and stderr are flushed, with this status. Setting process.exitCode is not enough: a
 * dependency's exit hook may call process.exit(0) later (electron-builder's async-exit-hook does, on
 * 'beforeExit'), and a harness whose status can be overwritten can report a pass it did not earn.
 */
export function exitWhenFlushed(code: number): void {
  let streams = 2;
  const flushed = () => {
    if (--streams === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

/** Runs `main` when `moduleUrl` is the script node was started with, and exits with its status. */
export function runAsScript(moduleUrl: string, main: () => Promise<number>): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  main().then(exitWhenFlushed, (error: unknown) => {
    console.error(error);
    exitWhenFlushed(1);
  });
}
