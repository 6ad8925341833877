import { describe, expect, it } from 'vitest';
import { validateRequest } from './validate';

describe('the update feed URL in the contract (Settings → Updates)', () => {
  it('takes an https folder, this machine over http, or empty (the build URL)', () => {
    expect(validateRequest('updates:setFeedUrl', { feedUrl: 'https://sync.example.com/updates' }).ok).toBe(true);
    expect(validateRequest('updates:setFeedUrl', { feedUrl: 'http://127.0.0.1:4455/updates/' }).ok).toBe(true);
    expect(validateRequest('updates:setFeedUrl', { feedUrl: '' }).ok).toBe(true);
  });

  it('refuses anything else with an error on the field', () => {
    for (const [feedUrl, message] of [
      ['sync.example.com/updates', /is not a URL/],
      ['http://sync.example.com/updates/', /must come over https/],
      ['ftp://sync.example.com/updates/', /must come over https/],
      ['https://sync.example.com/updates/?token=x', /no credentials, query or fragment/],
    ] as const) {
      const r = validateRequest('updates:setFeedUrl', { feedUrl });
      expect(r.ok, feedUrl).toBe(false);
      if (!r.ok) expect(r.error.fieldErrors?.feedUrl).toMatch(message);
    }
    const long = validateRequest('updates:setFeedUrl', { feedUrl: `https://x.example/${'a'.repeat(2000)}` });
    expect(!long.ok && long.error.fieldErrors?.feedUrl).toBe('At most 2000 characters');
  });
});
