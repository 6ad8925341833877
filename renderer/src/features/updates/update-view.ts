// What the console shows of the desktop's updater (issue 22): pure, so the renderer's side is unit-tested
// (Electron cannot run here). The state comes from `updates:getStatus` and then `updates:stateChanged`
// events from main through the preload; the web host answers `supported: false` and nothing is shown.
import type { UpdateStatus } from '../../../../core/api/updates-contract';
import { normalizeFeedUrl } from '../../../../core/updates/feed-url';
import { updateStatusText, type UpdateState } from '../../../../core/updates/update-state';

export interface UpdateBannerView {
  text: string;
  /** 0–100 while downloading (a progress bar), else null. */
  percent: number | null;
  canRestart: boolean;
  tone: 'info' | 'error';
}

/** null: no updater here (web host, dev build) or nothing worth a banner. */
export function bannerView(status: UpdateStatus | null): UpdateBannerView | null {
  if (!status?.supported) return null;
  const { state } = status;
  // "Up to date" and "checking" are answers to the Settings button and the menu; they stay out of the way.
  if (state.phase === 'idle' || state.phase === 'checking') return null;
  const text = updateStatusText(state);
  if (text === null) return null;
  return {
    text,
    percent: state.phase === 'downloading' ? Math.floor(state.percent) : null,
    canRestart: state.phase === 'ready',
    tone: state.phase === 'error' ? 'error' : 'info',
  };
}

/** A state event from main applied to what the console knows (ignored where there is no updater). */
export function withState(status: UpdateStatus | null, state: UpdateState): UpdateStatus | null {
  return status?.supported ? { ...status, state } : status;
}

/** The Settings field's own check, before sending: empty means the build's URL. */
export function feedUrlError(typed: string): string | null {
  if (typed.trim() === '') return null;
  const normalized = normalizeFeedUrl(typed);
  return normalized.ok ? null : normalized.error;
}
