import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../sync/testing/harness';

/** The technician page's files as the server sends them: types, a strict CSP, nothing else under /tech/. */
describe('technician page files', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('serves the page, its script and its style with a CSP that allows only this server', async () => {
    for (const path of ['/tech', '/tech/']) {
      const page = await fetch(`${t.server.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await page.text();
      expect(html).toContain('<script type="module" src="/tech/tech-page.js"></script>');
      expect(html).toContain('name="viewport"');
      expect(html).not.toMatch(/<script>(?!<)/);
    }
    const script = await fetch(`${t.server.url}/tech/tech-page.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await script.text();
    // The page reaches only the sign-in routes (an invite code's included) and the field API.
    const paths = [...source.matchAll(/'(\/api\/[^'`$]*)/g)].map((m) => m[1]);
    expect(new Set(paths)).toEqual(new Set(['/api/auth/login', '/api/auth/logout', '/api/auth/redeem-invite', '/api/field/available', '/api/field/notices']));
    expect([...source.matchAll(/`(\/api\/[a-z/]+)/g)].map((m) => m[1]).every((p) => p!.startsWith('/api/field/'))).toBe(true);
    expect(source).not.toContain('innerHTML');
    const style = await fetch(`${t.server.url}/tech/tech-page.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await fetch(`${t.server.url}/tech/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for anything else under /tech/ and 405 for writes', async () => {
    expect((await fetch(`${t.server.url}/tech/../accounts.sqlite`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/tech/index.html`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/tech/static/tech-page.js`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/techx`)).status).toBe(404);
    const post = await fetch(`${t.server.url}/tech/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
