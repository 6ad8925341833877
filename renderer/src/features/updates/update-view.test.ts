import { describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../../core/api/updates-contract';
import { INITIAL_UPDATE_STATE, nextUpdateState } from '../../../../core/updates/update-state';
import { bannerView, feedUrlError, withState } from './update-view';

const desktop: UpdateStatus = { supported: true, feedUrl: null, environmentFeedUrl: null, state: INITIAL_UPDATE_STATE };

describe("the console's update banner", () => {
  it('shows nothing on the web host (electron/backend/api/updates-api.ts), whatever events arrive', () => {
    const web: UpdateStatus = { ...desktop, supported: false };
    expect(bannerView(web)).toBeNull();
    const downloading = nextUpdateState(INITIAL_UPDATE_STATE, { type: 'available', version: '1.4.0' });
    expect(withState(web, downloading)).toBe(web);
    expect(bannerView(withState(web, downloading))).toBeNull();
    expect(bannerView(null)).toBeNull();
  });

  it('shows the download with its progress, then "Restart to update"', () => {
    expect(bannerView(desktop)).toBeNull();
    let state = nextUpdateState(INITIAL_UPDATE_STATE, { type: 'checking' });
    expect(bannerView(withState(desktop, state))).toBeNull(); // a check alone is not worth a banner
    state = nextUpdateState(state, { type: 'available', version: '1.4.0' });
    state = nextUpdateState(state, { type: 'progress', percent: 63.4, bytesPerSecond: 1_200_000 });
    expect(bannerView(withState(desktop, state))).toEqual({ text: 'Downloading update 1.4.0: 63 % (1.2 MB/s)', percent: 63, canRestart: false, tone: 'info' });
    state = nextUpdateState(state, { type: 'downloaded', version: '1.4.0' });
    expect(bannerView(withState(desktop, state))).toEqual({ text: 'Crewline 1.4.0 is ready to install.', percent: null, canRestart: true, tone: 'info' });
  });

  it('shows a refused download as an error, with no restart offered', () => {
    const state = nextUpdateState(nextUpdateState(INITIAL_UPDATE_STATE, { type: 'available', version: '1.4.0' }), { type: 'error', message: 'sha512 checksum mismatch' });
    expect(bannerView(withState(desktop, state))).toMatchObject({ tone: 'error', canRestart: false, percent: null, text: expect.stringContaining('checksum mismatch') });
  });

  it('checks the Settings field before sending it', () => {
    expect(feedUrlError('')).toBeNull();
    expect(feedUrlError('https://sync.example.com/updates/')).toBeNull();
    expect(feedUrlError('http://sync.example.com/updates/')).toMatch(/must come over https/);
    expect(feedUrlError('not a url')).toMatch(/is not a URL/);
  });
});
