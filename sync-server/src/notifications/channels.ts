/**
 * Delivery channels (docs/design.md §8): email over SMTP (nodemailer), SMS and team chat over provider-agnostic
 * HTTP webhooks, and files in the data directory for any channel that is not configured, so a default
 * install still shows what it would have sent.
 *
 * Every delivery carries the message's idempotency key — `Message-ID` (and `X-Crewline-Idempotency-Key`)
 * on email, `Idempotency-Key` on webhooks, the file name on disk — so a send retried after a crash or a lost
 * answer is recognisable as the same message by whoever receives it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { oneLine, plainText, slackMention, slackText, smsText } from './channel-text';
import { isRetryableStatus, parseRetryAfter } from './retry';
import type { Channel, ChannelSender, OutgoingMessage } from './types';

export type SmsStyle = 'twilio' | 'json';
export type ChatStyle = 'slack' | 'json';

export interface ChannelConfig {
  /** `smtp://user:pass@host:587`, `smtps://...`; none: email goes to files. */
  smtpUrl?: string;
  /** The From of every email (default `Crewline <notifications@localhost>`). */
  mailFrom?: string;
  smsWebhookUrl?: string;
  smsWebhookStyle?: SmsStyle;
  /** The sender number SMS webhooks are given (Twilio's `From`). */
  smsFrom?: string;
  chatWebhookUrl?: string;
  chatWebhookStyle?: ChatStyle;
  /** Where unconfigured channels write their messages. */
  outboxDir: string;
  /** One delivery attempt's deadline. */
  timeoutMs?: number;
}

export const DEFAULT_MAIL_FROM = 'Crewline <notifications@localhost>';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** `<hash@domain>`: a valid, stable Message-ID from the idempotency key (same key, same id). */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'crewline.invalid';
  return `<${sha(idempotencyKey).slice(0, 40)}@${domain}>`;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

function mailOf(message: OutgoingMessage, from: string) {
  return {
    from,
    to: message.recipientName ? { name: message.recipientName, address: message.to } : message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: messageIdFor(message.idempotencyKey, from),
    headers: { 'X-Crewline-Idempotency-Key': message.idempotencyKey },
  };
}

export function smtpSender(url: string, from: string, timeoutMs: number): ChannelSender {
  // These bound one attempt, so a silent server is a retry, not a hang (the URL's own query may set others).
  const transport = createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    socketCloseTimeout: Math.min(timeoutMs, 1000),
  });
  return {
    describe: 'smtp',
    async send(message, signal) {
      try {
        // The deadline covers the whole attempt, also a server that accepted the data and never answers.
        const info = await transport.sendMail({ ...mailOf(message, from), signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs * 2)]) });
        return { ok: true, detail: String(info.response ?? '').slice(0, 200) };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx is the server's final word (no such mailbox, refused); 4xx and broken connections may pass later.
        if (typeof code === 'number' && code >= 500) return { ok: false, retryable: false, error: `SMTP ${code}: ${errorText(error)}` };
        const kind = (error as { code?: string }).code;
        if (kind === 'EENVELOPE' && code === undefined) return { ok: false, retryable: false, error: errorText(error) };
        return { ok: false, retryable: true, error: `${code ? `SMTP ${code}: ` : ''}${errorText(error)}` };
      }
    },
    close: () => transport.close(),
  };
}

export interface WebhookRequest {
  body: string;
  contentType: string;
}

function twilioRequest(message: OutgoingMessage, from: string): WebhookRequest {
  const form = new URLSearchParams({ To: message.to, From: from, Body: smsText(message.short) });
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** Section blocks take at most 3000 characters; escaping can lengthen the text, so cut before it. */
const SLACK_SECTION_CHARS = 2900;

function slackRequest(message: OutgoingMessage): WebhookRequest {
  const mention = slackMention(message.to);
  const subject = slackText(oneLine(message.subject));
  const body = slackText(message.text);
  // Every field is mrkdwn, escaped by Slack's documented rules: how Slack treats `<...>` in plain_text is
  // not documented. `verbatim` stops Slack's own guessing of links and channel names in what is left.
  const text = `${mention}: ${subject}\n${body}`;
  const blocks = [
    { type: 'section', text: { type: 'mrkdwn', text: `${mention}: *${subject}*`.slice(0, SLACK_SECTION_CHARS), verbatim: true } },
    { type: 'section', text: { type: 'mrkdwn', text: body.slice(0, SLACK_SECTION_CHARS), verbatim: true } },
  ];
  return { body: JSON.stringify({ text, blocks }), contentType: 'application/json' };
}

/** The receiver's markup is unknown: plain text without invisible controls, SMS on one line. */
function jsonRequest(message: OutgoingMessage, channel: Channel, from: string): WebhookRequest {
  const body = {
    channel,
    to: message.to,
    name: oneLine(message.recipientName),
    ...(from ? { from } : {}),
    subject: oneLine(message.subject),
    text: channel === 'sms' ? smsText(message.short) : plainText(message.text),
    idempotencyKey: message.idempotencyKey,
  };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** What a webhook of this style is sent for a message. */
export function webhookRequest(message: OutgoingMessage, channel: Channel, style: SmsStyle | ChatStyle, from: string): WebhookRequest {
  return style === 'twilio' ? twilioRequest(message, from) : style === 'slack' ? slackRequest(message) : jsonRequest(message, channel, from);
}

/**
 * POSTs to a webhook. Credentials in the URL (`https://sid:token@api.example/...`, Twilio's way) become
 * Basic authentication. 2xx is delivered; 408, 425, 429 and 5xx are retried (Retry-After honoured);
 * any other answer is final.
 */
export function webhookSender(
  url: string,
  channel: Channel,
  style: SmsStyle | ChatStyle,
  from: string,
  timeoutMs: number,
  now: () => number = Date.now,
): ChannelSender {
  const target = new URL(url);
  const auth = target.username ? `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}` : null;
  target.username = '';
  target.password = '';
  const endpoint = target.toString();
  return {
    describe: `webhook:${style}`,
    async send(message, signal) {
      const request = webhookRequest(message, channel, style, from);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': request.contentType,
            'Idempotency-Key': message.idempotencyKey,
            'User-Agent': 'Crewline-Notifications',
            ...(auth ? { Authorization: auth } : {}),
          },
          body: request.body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
          redirect: 'error',
        });
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        return { ok: false, retryable: true, error: `${errorText(error)}${cause ? ` (${errorText(cause)})` : ''}` };
      }
      const text = await response.text().catch(() => '');
      if (response.ok) return { ok: true, detail: `HTTP ${response.status}` };
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
      return {
        ok: false,
        retryable: isRetryableStatus(response.status),
        error: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        ...(retryAfter !== null ? { retryAfterMs: retryAfter } : {}),
      };
    },
  };
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'recipient';

/**
 * No channel configured: the message is written where an operator can read it, `<outboxDir>/<channel>/`,
 * emails as `.eml` (exactly what SMTP would have carried), SMS and chat as the JSON a webhook would get.
 * Named by the row, written to a temporary name and renamed, so a retry replaces rather than duplicates.
 */
export function fileSender(dir: string, channel: Channel, from: string): ChannelSender {
  const folder = join(dir, channel);
  const mailer = channel === 'email' ? createTransport({ streamTransport: true, buffer: true, newline: 'unix' }) : null;
  return {
    describe: 'file',
    async send(message) {
      try {
        mkdirSync(folder, { recursive: true });
        const base = `${String(message.id).padStart(6, '0')}-${slug(message.recipientName || message.to)}`;
        let file: string;
        let content: string | Buffer;
        if (mailer) {
          const info = await mailer.sendMail(mailOf(message, from));
          file = join(folder, `${base}.eml`);
          content = info.message as Buffer;
        } else {
          file = join(folder, `${base}.json`);
          const body = channel === 'sms' ? smsText(message.short) : plainText(message.text);
          content = `${JSON.stringify({ idempotencyKey: message.idempotencyKey, channel, to: message.to, name: message.recipientName, subject: message.subject, text: body }, null, 2)}\n`;
        }
        const temp = `${file}.tmp`;
        writeFileSync(temp, content);
        renameSync(temp, file);
        return { ok: true, detail: file };
      } catch (error) {
        return { ok: false, retryable: true, error: errorText(error) };
      }
    },
  };
}

export type ChannelSenders = Record<Channel, ChannelSender>;

export function createChannelSenders(config: ChannelConfig): ChannelSenders {
  const timeoutMs = config.timeoutMs ?? 15_000;
  const from = config.mailFrom ?? DEFAULT_MAIL_FROM;
  return {
    email: config.smtpUrl ? smtpSender(config.smtpUrl, from, timeoutMs) : fileSender(config.outboxDir, 'email', from),
    sms: config.smsWebhookUrl
      ? webhookSender(config.smsWebhookUrl, 'sms', config.smsWebhookStyle ?? 'twilio', config.smsFrom ?? '', timeoutMs)
      : fileSender(config.outboxDir, 'sms', from),
    chat: config.chatWebhookUrl
      ? webhookSender(config.chatWebhookUrl, 'chat', config.chatWebhookStyle ?? 'slack', '', timeoutMs)
      : fileSender(config.outboxDir, 'chat', from),
  };
}
