import { describe, expect, it } from 'vitest';
import { INITIAL_UPDATE_STATE } from '../../../core/updates/update-state';
import { updateHandlers } from './updates-api';

describe('the updater requests on the web host (no updater)', () => {
  it('answers supported: false, so the console hides the update UI, and refuses the rest with a reason', async () => {
    const handlers = updateHandlers();
    expect(await handlers['updates:getStatus']({})).toEqual({ ok: true, value: { supported: false, feedUrl: null, environmentFeedUrl: null, state: INITIAL_UPDATE_STATE } });
    for (const answer of [await handlers['updates:check']({}), await handlers['updates:restart']({}), await handlers['updates:setFeedUrl']({ feedUrl: 'https://a.example/u/' })]) {
      expect(answer).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/part of the desktop app/) } });
    }
  });
});
