/**
 * How our browser tests and benchmarks launch Chromium (docs/design.md §12): Debian's build, headless, with the
 * background networking that this closed network refuses turned off. One place for both.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
