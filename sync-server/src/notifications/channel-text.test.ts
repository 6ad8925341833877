/**
 * Hostile text from the documents (a job title, notes, a customer's name: anything a client with a token
 * can write) must reach chat and SMS as text, never as the channel's markup: no Slack mention or disguised
 * link, no control characters or direction overrides in an SMS. Rendered by the real templates, built by
 * the real request builders, and once sent through the real webhook sender to a local HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listCustomers, listProviders, listServices, readSettings } from '../../../core/doc/roster';
import { getBooking } from '../../../core/doc/schedule';
import { createWorkspace } from '../../../core/testing/fixture';
import { oneLine, plainText, slackMention, slackText } from './channel-text';
import { webhookRequest, webhookSender } from './channels';
import { renderBatch, type TemplateWorld } from './templates';
import type { OutgoingMessage } from './types';

const HOSTILE_TITLE = '<!channel> Boiler <https://evil.example|click here> & co';
const HOSTILE_NOTES = 'Gate \u202Eedoc\u202C 1234\r\nBell\u0007 \u001b[31mRED\u001b[0m <@U0ADMIN>';
const HOSTILE_CUSTOMER = '<!here> Dee & <b>Dawson</b>';

function hostileMessage(): OutgoingMessage {
  const ws = createWorkspace({ now: '2026-10-30T12:00:00Z' });
  ws.must('initializeOrganization', { name: 'Northwind <!everyone>', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana Alvarez' }).id;
  const customer = ws.must('createCustomer', { name: HOSTILE_CUSTOMER, phone: '+1 312 555 0100', notes: '@channel call first' }).id;
  const job = ws.must('createBooking', {
    title: HOSTILE_TITLE,
    customerId: customer,
    notes: HOSTILE_NOTES,
    location: { address: '12 Oak St\nChicago', coordinates: null },
    slot: { start: '2026-11-01T14:00:00Z', end: '2026-11-01T17:00:00Z', assignees: [ana] },
  }).id;
  const world: TemplateWorld = {
    settings: readSettings(ws.roster),
    providers: new Map(listProviders(ws.roster).map((p) => [p.id, p])),
    customers: new Map(listCustomers(ws.roster).map((c) => [c.id, c])),
    services: new Map(listServices(ws.roster).map((s) => [s.id, s])),
  };
  const rendered = renderBatch(world, { kind: 'provider', id: ana }, [{ bookingId: job, booking: getBooking(ws.schedule, job), kinds: ['dispatched'] }])!;
  return { ...rendered, id: 1, idempotencyKey: 'req:r1|provider:ana|chat', channel: 'chat', to: '@ana', recipientName: 'Ana <Alvarez>' };
}

/** Nothing Slack would read as a link, mention or entity: no `<`, `>` at all, and `&` only as our escapes. */
function expectInertMrkdwn(text: string): void {
  expect(text).not.toMatch(/[<>]/);
  expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  expect(text).not.toMatch(/@(channel|here|everyone)\b/i);
}

const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

describe('channel text', () => {
  it('escapes exactly &, < and > for Slack, and defuses bare broadcast words', () => {
    expect(slackText('<!channel> <https://evil.example|click> & AT&T')).toBe('&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; AT&amp;T');
    expect(slackText('already &amp; escaped')).toBe('already &amp;amp; escaped');
    expect(slackText('ping @here and @Channel, not @hereford')).toBe('ping @\u2060here and @\u2060Channel, not @hereford');
    expect(slackText('*bold* _it_ "quotes" \'apostrophe\' é ✓')).toBe('*bold* _it_ "quotes" \'apostrophe\' é ✓');
  });

  it('keeps a Slack user-id mention as the handle, and nothing else', () => {
    expect(slackMention('<@U024BE7LH>')).toBe('<@U024BE7LH>');
    expect(slackMention('@ana')).toBe('@ana');
    expect(slackMention('Ana Alvarez')).toBe('*Ana Alvarez*');
    expect(slackMention('<!channel>')).toBe('*&lt;!channel&gt;*');
    expect(slackMention('<@U024BE7LH> <!here>')).toBe('*&lt;@U024BE7LH&gt; &lt;!here&gt;*');
    expect(slackMention('@here')).toBe('@\u2060here');
  });

  it('plain text loses controls and direction overrides, keeps lines; SMS is one line', () => {
    expect(plainText('a\r\nb\rc\u0000d\u202Ee\tf\u2067g')).toBe('a\nb\ncde\tfg');
    expect(oneLine('  Fix\r\n the\t\u0007boiler \u001b[2J  ')).toBe('Fix the boiler [2J');
    expect(oneLine('Café 👩‍🔧 مرحبا')).toBe('Café 👩‍🔧 مرحبا');
  });

  it('a Slack webhook gets the hostile job as inert text', () => {
    const message = hostileMessage();
    expect(message.text).toContain(HOSTILE_TITLE);
    const request = webhookRequest(message, 'chat', 'slack', '');
    expect(request.contentType).toBe('application/json');
    const body = JSON.parse(request.body) as { text: string; blocks: Array<{ text: { type: string; text: string; verbatim?: boolean } }> };
    expectInertMrkdwn(body.text);
    expect(body.text).toMatch(/^@ana: Sent to you: &lt;!channel&gt; Boiler &lt;https:\/\/evil\.example\|click here&gt; &amp; co\n/);
    expect(body.text).toContain('Customer: &lt;!here&gt; Dee &amp; &lt;b&gt;Dawson&lt;/b&gt;, +1 312 555 0100');
    expect(body.text).toContain('Access notes: @\u2060channel call first');
    expect(body.text).not.toMatch(CONTROLS);
    for (const block of body.blocks) {
      expect(block.text).toMatchObject({ type: 'mrkdwn', verbatim: true });
      expectInertMrkdwn(block.text.text);
      expect(block.text.text).not.toMatch(CONTROLS);
    }
    expect(body.blocks[1]!.text.text).toContain('Notes: Gate edoc 1234\nBell [31mRED[0m &lt;@U0ADMIN&gt;');
  });

  it('an SMS (Twilio form or JSON) is one readable line without controls; JSON chat is plain text', () => {
    const message = { ...hostileMessage(), channel: 'sms' as const, to: '+13125550100' };
    const form = new URLSearchParams(webhookRequest(message, 'sms', 'twilio', '+13125550199').body);
    const sms = form.get('Body')!;
    expect(sms).not.toMatch(CONTROLS);
    expect(sms).not.toContain('\n');
    expect(sms).toBe(`Northwind <!everyone>: Sent to you: ${HOSTILE_TITLE}, Sun, Nov 1, 2026, 08:00–11:00 CST, 12 Oak St Chicago`);
    expect(form.get('To')).toBe('+13125550100');

    const json = JSON.parse(webhookRequest(message, 'sms', 'json', '+13125550199').body) as Record<string, string>;
    expect(json.text).toBe(sms);
    expect(json.name).toBe('Ana <Alvarez>');
    const chat = JSON.parse(webhookRequest({ ...message, channel: 'chat' }, 'chat', 'json', '').body) as Record<string, string>;
    expect(chat.text).not.toMatch(CONTROLS);
    expect(chat.text).toContain('Notes: Gate edoc 1234\nBell [31mRED[0m <@U0ADMIN>');
  });
});

describe('the real webhook sender', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  it('posts the escaped Slack body to a local HTTP server', async () => {
    const received: Array<{ body: string; contentType: string | undefined; key: string | undefined }> = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: req.headers['content-type'],
          key: req.headers['idempotency-key'] as string | undefined,
        });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/x`;

    const message = hostileMessage();
    const result = await webhookSender(url, 'chat', 'slack', '', 5000).send(message, new AbortController().signal);
    expect(result).toEqual({ ok: true, detail: 'HTTP 200' });
    expect(received).toHaveLength(1);
    const hit = received[0]!;
    expect(hit.contentType).toBe('application/json');
    expect(hit.key).toBe(message.idempotencyKey);
    const body = JSON.parse(hit.body) as { text: string; blocks: Array<{ text: { type: string; text: string } }> };
    expectInertMrkdwn(body.text);
    for (const block of body.blocks) expectInertMrkdwn(block.text.text);
    // The raw bytes on the wire carry no live markup anywhere (JSON leaves < and > as they are).
    expect(hit.body).not.toMatch(/[<>]/);
    expect(hit.body).toContain('&lt;https://evil.example|click here&gt;');
    expect(hit.body).not.toMatch(/\\u00(0[0-8bcef]|1[0-9a-f]|7f)/i);
  });
});
