/**
 * Receivers for the notification tests, on 127.0.0.1 port 0: a real SMTP server (smtp-server) and an HTTP
 * webhook endpoint. Both keep every delivery they accepted (raw, duplicates included) and dedupe by the
 * idempotency key the worker sends (Message-ID on email, Idempotency-Key on webhooks), as a careful
 * receiver would. Optional seeded chaos makes a share of attempts fail: temporary refusals (4xx/5xx),
 * answers that never come (the delivery is recorded, then the sender times out: a lost acknowledgement),
 * and connection resets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Rng } from '../../../../core/demo/random';

export type ChaosOutcome = 'ok' | 'temporary' | 'rate_limited' | 'permanent' | 'lost_ack' | 'reset';

export interface Chaos {
  rng: Rng;
  /** Share of attempts that fail (default 0.3). */
  failureRate?: number;
  /** Share of the failures that are final refusals (default 0.05). */
  permanentShare?: number;
}

export function chaosOutcome(chaos: Chaos | undefined): ChaosOutcome {
  if (!chaos || !chaos.rng.chance(chaos.failureRate ?? 0.3)) return 'ok';
  if (chaos.rng.chance(chaos.permanentShare ?? 0.05)) return 'permanent';
  return chaos.rng.weighted<ChaosOutcome>([
    ['temporary', 3],
    ['rate_limited', 2],
    ['lost_ack', 2],
    ['reset', 2],
  ]);
}

abstract class Sink<T extends { key: string }> {
  /** Every delivery accepted, duplicates included, in arrival order. */
  readonly raw: T[] = [];
  /** Every attempt seen, whatever happened to it. */
  attempts = 0;
  readonly outcomes = new Map<ChaosOutcome, number>();

  /** Deliveries received while paused, waiting to be answered (and recorded) at `resume`. */
  private paused: Array<() => void> | null = null;

  /**
   * Holds every delivery that arrives unanswered until `resume`, so a test can catch a sender in the middle
   * of one (kill it while it holds a lease); without it a quick answer can land between the look and the kill.
   */
  pause(): void {
    this.paused ??= [];
  }

  resume(): void {
    const waiting = this.paused ?? [];
    this.paused = null;
    for (const answer of waiting) answer();
  }

  /** Answers a delivery now, or at `resume` while paused. */
  answer(handle: () => void): void {
    if (this.paused) this.paused.push(handle);
    else handle();
  }

  protected count(outcome: ChaosOutcome): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** What the user sees: the first delivery of each key. */
  delivered(): Map<string, T> {
    const map = new Map<string, T>();
    for (const item of this.raw) if (!map.has(item.key)) map.set(item.key, item);
    return map;
  }

  /** Repeated deliveries per key (the raw duplicates the dedup absorbed). */
  duplicates(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const item of this.raw) counts.set(item.key, (counts.get(item.key) ?? 0) + 1);
    return new Map([...counts].filter(([, n]) => n > 1).map(([k, n]) => [k, n - 1]));
  }
}

// ---------------------------------------------------------------------------------------------------
// Email

export interface ReceivedMail {
  /** The Message-ID header. */
  key: string;
  idempotencyKey: string;
  envelopeTo: string[];
  headers: Map<string, string>;
  subject: string;
  to: string;
  text: string;
  html: string;
}

const decodeQuotedPrintable = (text: string) =>
  Buffer.from(
    text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as nodemailer writes non-ASCII headers. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'quoted-printable') return decodeQuotedPrintable(body);
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** The text and HTML parts of a message (single part or multipart/alternative or mixed). */
export function parseMail(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const { headers, body } = splitHeaders(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  let text = '';
  let html = '';
  const take = (partType: string, partBody: string, encoding: string | undefined) => {
    if (/^text\/plain/i.test(partType)) text ||= decodeBody(partBody, encoding);
    else if (/^text\/html/i.test(partType)) html ||= decodeBody(partBody, encoding);
  };
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitHeaders(chunk.replace(/^\r?\n/, ''));
      const partType = part.headers.get('content-type') ?? 'text/plain';
      if (/^multipart\//i.test(partType)) {
        const inner = parseMail(chunk.replace(/^\r?\n/, ''));
        text ||= inner.text;
        html ||= inner.html;
      } else take(partType, part.body.replace(/\r?\n$/, ''), part.headers.get('content-transfer-encoding'));
    }
  } else take(type, body, headers.get('content-transfer-encoding'));
  return { headers, text: text.replace(/\r\n/g, '\n'), html: html.replace(/\r\n/g, '\n') };
}

export class SmtpSink extends Sink<ReceivedMail> {
  private readonly sockets = new Map<number, Socket>();
  /** Callbacks of lost acknowledgements, answered at close so the server can end. */
  private readonly held: Array<() => void> = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {
    super();
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(chaos?: Chaos): Promise<SmtpSink> {
    let sink: SmtpSink | null = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => sink!.answer(() => {
          const s = sink!;
          s.attempts++;
          const outcome = chaosOutcome(chaos);
          s.count(outcome);
          if (outcome === 'reset') {
            s.sockets.get(session.remotePort)?.destroy();
            return;
          }
          if (outcome === 'temporary' || outcome === 'rate_limited') {
            callback(Object.assign(new Error('Try again later'), { responseCode: outcome === 'temporary' ? 451 : 421 }));
            return;
          }
          if (outcome === 'permanent') {
            callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail = parseMail(raw);
          s.raw.push({
            key: mail.headers.get('message-id') ?? '',
            idempotencyKey: mail.headers.get('x-crewline-idempotency-key') ?? '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            headers: mail.headers,
            subject: decodeHeader(mail.headers.get('subject') ?? ''),
            to: decodeHeader(mail.headers.get('to') ?? ''),
            text: mail.text,
            html: mail.html,
          });
          if (outcome === 'lost_ack') s.held.push(() => callback());
          else callback();
        }));
      },
    });
    server.on('error', () => {});
    server.server.on('connection', (socket: Socket) => {
      const port = socket.remotePort;
      if (port !== undefined) {
        sink?.sockets.set(port, socket);
        socket.on('close', () => sink?.sockets.delete(port));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    sink = new SmtpSink(server, (server.server.address() as { port: number }).port);
    return sink;
  }

  async close(): Promise<void> {
    this.resume();
    for (const answer of this.held.splice(0)) answer();
    for (const socket of this.sockets.values()) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------
// Webhooks

export interface ReceivedHook {
  /** The Idempotency-Key header. */
  key: string;
  contentType: string;
  /** Form fields (Twilio style) or the JSON body. */
  form: Record<string, string> | null;
  json: Record<string, unknown> | null;
  authorization: string | null;
}

export class WebhookSink extends Sink<ReceivedHook> {
  private readonly sockets = new Set<Socket>();
  private readonly held: ServerResponse[] = [];
  /** Answer the next n requests with this status (and Retry-After), before any chaos. */
  script: Array<{ status: number; retryAfter?: string }> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    super();
  }

  static async start(chaos?: Chaos): Promise<WebhookSink> {
    let sink: WebhookSink | null = null;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => sink!.answer(() => {
        const s = sink!;
        s.attempts++;
        const scripted = s.script.shift();
        if (scripted) {
          res.writeHead(scripted.status, scripted.retryAfter ? { 'Retry-After': scripted.retryAfter } : {});
          res.end('scripted');
          return;
        }
        const outcome = chaosOutcome(chaos);
        s.count(outcome);
        if (outcome === 'reset') {
          req.socket.destroy();
          return;
        }
        if (outcome === 'temporary') {
          res.writeHead(chaos!.rng.pick([500, 502, 503]));
          res.end('unavailable');
          return;
        }
        if (outcome === 'rate_limited') {
          res.writeHead(429, { 'Retry-After': '1' });
          res.end('slow down');
          return;
        }
        if (outcome === 'permanent') {
          res.writeHead(400);
          res.end('bad request');
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const contentType = req.headers['content-type'] ?? '';
        const isForm = contentType.startsWith('application/x-www-form-urlencoded');
        s.raw.push({
          key: String(req.headers['idempotency-key'] ?? ''),
          contentType,
          form: isForm ? Object.fromEntries(new URLSearchParams(body)) : null,
          json: isForm ? null : (JSON.parse(body) as Record<string, unknown>),
          authorization: req.headers.authorization ?? null,
        });
        if (outcome === 'lost_ack') {
          s.held.push(res);
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      }));
    });
    server.on('connection', (socket: Socket) => {
      sink?.sockets.add(socket);
      socket.on('close', () => sink?.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    sink = new WebhookSink(server, `http://127.0.0.1:${port}/hook`);
    return sink;
  }

  async close(): Promise<void> {
    this.resume();
    for (const res of this.held.splice(0)) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
