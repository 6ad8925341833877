import { describe, expect, it } from 'vitest';
import { FEED_URL_ENV, normalizeFeedUrl, progressText, resolveUpdateFeed, storedFeedUrl, withFeedUrl } from './update-settings';

describe('normalizeFeedUrl', () => {
  it('ends the folder URL with a slash, so latest.yml resolves inside it', () => {
    expect(normalizeFeedUrl('https://sync.example.com/updates')).toEqual({ ok: true, url: 'https://sync.example.com/updates/' });
    expect(normalizeFeedUrl(' https://sync.example.com:8443/updates/ ')).toEqual({ ok: true, url: 'https://sync.example.com:8443/updates/' });
    expect(new URL('latest.yml', 'https://sync.example.com/updates').href).toBe('https://sync.example.com/latest.yml');
  });

  it('takes https, and http only from this machine', () => {
    expect(normalizeFeedUrl('http://127.0.0.1:4455/updates')).toEqual({ ok: true, url: 'http://127.0.0.1:4455/updates/' });
    expect(normalizeFeedUrl('http://localhost/updates/')).toMatchObject({ ok: true });
    expect(normalizeFeedUrl('http://sync.example.com/updates/')).toEqual({ ok: false, error: expect.stringMatching(/must come over https/) });
    expect(normalizeFeedUrl('file:///tmp/updates/')).toMatchObject({ ok: false });
    expect(normalizeFeedUrl('sync.example.com/updates')).toEqual({ ok: false, error: expect.stringMatching(/is not a URL/) });
    expect(normalizeFeedUrl('https://user:pw@sync.example.com/updates/')).toMatchObject({ ok: false });
    expect(normalizeFeedUrl('https://sync.example.com/updates/?token=1')).toMatchObject({ ok: false });
  });
});

describe('resolveUpdateFeed', () => {
  const file = (settings: unknown) => JSON.stringify(settings);

  it('prefers the environment, then the settings file, then the build URL', () => {
    const env = { [FEED_URL_ENV]: 'https://it.example.com/crewline' };
    const settings = file({ feedUrl: 'https://sync.example.com/updates/' });
    expect(resolveUpdateFeed(settings, env)).toEqual({ url: 'https://it.example.com/crewline/', source: 'environment', autoCheck: true, problems: [] });
    expect(resolveUpdateFeed(settings, {})).toEqual({ url: 'https://sync.example.com/updates/', source: 'settings', autoCheck: true, problems: [] });
    expect(resolveUpdateFeed(null, {})).toEqual({ source: 'build', autoCheck: true, problems: [] });
    expect(resolveUpdateFeed(settings, { [FEED_URL_ENV]: '' })).toMatchObject({ source: 'settings' });
  });

  it('passes over a bad value with the reason, and falls back', () => {
    const fromBadEnv = resolveUpdateFeed(file({ feedUrl: 'https://sync.example.com/updates/' }), { [FEED_URL_ENV]: 'http://sync.example.com/u/' });
    expect(fromBadEnv).toMatchObject({ source: 'settings', url: 'https://sync.example.com/updates/' });
    expect(fromBadEnv.problems).toEqual([expect.stringMatching(/^CREWLINE_UPDATE_FEED_URL: .*https/)]);
    expect(resolveUpdateFeed('{not json', {})).toEqual({ source: 'build', autoCheck: true, problems: [expect.stringMatching(/ignored$/)] });
    expect(resolveUpdateFeed(file({ feedUrl: 42 }), {})).toMatchObject({ source: 'build', problems: [expect.any(String)] });
  });

  it('stops the checks when autoCheck is false', () => {
    expect(resolveUpdateFeed(file({ autoCheck: false }), {})).toEqual({ source: 'build', autoCheck: false, problems: [] });
  });
});

describe('progressText', () => {
  it('says how far and how fast', () => {
    expect(progressText('1.4.0', 41.7, 3_140_000)).toBe('Downloading update 1.4.0: 41 % (3.1 MB/s)');
    expect(progressText('1.4.0', 100.2, 512_000)).toBe('Downloading update 1.4.0: 100 % (512 kB/s)');
  });
});

describe('saving the feed URL from Settings', () => {
  it('writes feedUrl, keeps the other keys, and removes it when cleared', () => {
    const saved = withFeedUrl(JSON.stringify({ autoCheck: false }), 'https://sync.example.com/updates/');
    expect(JSON.parse(saved)).toEqual({ autoCheck: false, feedUrl: 'https://sync.example.com/updates/' });
    expect(storedFeedUrl(saved)).toBe('https://sync.example.com/updates/');
    expect(resolveUpdateFeed(saved, {})).toMatchObject({ url: 'https://sync.example.com/updates/', source: 'settings', autoCheck: false });
    const cleared = withFeedUrl(saved, null);
    expect(JSON.parse(cleared)).toEqual({ autoCheck: false });
    expect(storedFeedUrl(cleared)).toBeNull();
    expect(JSON.parse(withFeedUrl(null, 'https://a.example/u/'))).toEqual({ feedUrl: 'https://a.example/u/' });
    expect(JSON.parse(withFeedUrl('{not json', 'https://a.example/u/'))).toEqual({ feedUrl: 'https://a.example/u/' });
    expect(storedFeedUrl('{not json')).toBeNull();
  });
});
