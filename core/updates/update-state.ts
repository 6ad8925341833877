// What the console shows of the desktop's updater (issue 22): one state, changed by electron-updater's
// events in main and sent to the renderer as `updates:stateChanged`. Pure, so main (type-checked only) and
// the renderer share the transitions and their tests.

export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready' | 'error';

export interface UpdateState {
  phase: UpdatePhase;
  /** The version being downloaded or ready (null before one is found). */
  version: string | null;
  /** 0–100 while downloading. */
  percent: number;
  bytesPerSecond: number;
  /** Why the last check or download failed (the app keeps running this version). */
  error: string | null;
  /** A check that found nothing says so, so "Check for updates" is not silent. */
  upToDate: boolean;
}

export const INITIAL_UPDATE_STATE: UpdateState = { phase: 'idle', version: null, percent: 0, bytesPerSecond: 0, error: null, upToDate: false };

export type UpdateEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number; bytesPerSecond: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string };

const clampPercent = (percent: number) => (Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0);

export function nextUpdateState(state: UpdateState, event: UpdateEvent): UpdateState {
  // A downloaded update stays ready: a later check (every few hours) must not hide "Restart to update".
  if (state.phase === 'ready' && event.type !== 'downloaded') return state;
  switch (event.type) {
    case 'checking':
      return { ...state, phase: 'checking', error: null, upToDate: false };
    case 'available':
      return { ...state, phase: 'downloading', version: event.version, percent: 0, bytesPerSecond: 0, error: null };
    case 'not-available':
      return { ...INITIAL_UPDATE_STATE, upToDate: true };
    case 'progress':
      return { ...state, phase: 'downloading', percent: clampPercent(event.percent), bytesPerSecond: Math.max(0, event.bytesPerSecond) };
    case 'downloaded':
      return { ...state, phase: 'ready', version: event.version, percent: 100, error: null };
    case 'error':
      return { ...state, phase: 'error', error: event.message.slice(0, 300) };
  }
}

/** "3.1 MB/s", "420 kB/s". */
export function rateText(bytesPerSecond: number): string {
  return bytesPerSecond >= 1e6 ? `${(bytesPerSecond / 1e6).toFixed(1)} MB/s` : `${Math.round(bytesPerSecond / 1e3)} kB/s`;
}

/** "Downloading update 1.4.0: 42 % (3.1 MB/s)", for the log and the console's banner. */
export function progressText(version: string, percent: number, bytesPerSecond: number): string {
  return `Downloading update ${version}: ${Math.floor(clampPercent(percent))} % (${rateText(bytesPerSecond)})`;
}

/** One line for the console, or null when there is nothing to say (no banner). */
export function updateStatusText(state: UpdateState): string | null {
  switch (state.phase) {
    case 'idle':
      return state.upToDate ? 'Crewline is up to date.' : null;
    case 'checking':
      return 'Checking for updates…';
    case 'downloading':
      return state.version ? progressText(state.version, state.percent, state.bytesPerSecond) : 'Downloading an update…';
    case 'ready':
      return `Crewline ${state.version ?? ''} is ready to install.`.replace('  ', ' ');
    case 'error':
      return `The update failed; this version keeps running. ${state.error ?? ''}`.trim();
  }
}
