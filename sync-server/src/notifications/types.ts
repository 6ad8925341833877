/**
 * The notification worker's vocabulary (docs/design.md §8). An *event* is one thing a recipient should hear
 * about one booking ("Ana was added to job X by Save request R"); events for the same recipient and
 * channel that arrive within the batch window become one outbox row, rendered from the latest state when
 * the window closes.
 */

import type { SlotState } from '../../../core/notifications/save-audience';

export const CHANNELS = ['email', 'sms', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export type RecipientKind = 'provider' | 'customer';
export interface RecipientRef {
  kind: RecipientKind;
  id: string;
}

/**
 * - `assigned`: the provider is newly on the job; `unassigned`: taken off it;
 * - `updated`: the job's time, arrival window or place changed (or a Save re-sent it);
 * - `dispatched`: Send to Tech; `cancelled`: a job the providers had been sent was cancelled;
 * - `scheduled`: a Save told the customer about their appointment; `on_the_way`: a technician is en route.
 */
export const EVENT_KINDS = ['assigned', 'unassigned', 'updated', 'dispatched', 'cancelled', 'scheduled', 'on_the_way'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface NotifyEvent {
  /**
   * What produced it, stable however often the change is seen: `req:<requestId>`, `dispatch:<bookingId>:<at>`,
   * `move:<historyId>`, `edit:<bookingId>:v<n>`, `cancel:<bookingId>:<at>`, `enroute:<bookingId>:<at>`.
   * With booking, recipient and channel it is the idempotency key of the notification.
   */
  key: string;
  kind: EventKind;
  bookingId: string;
  recipient: RecipientRef;
  /** A Save's events: the job's slot before the Save, so the message can say what changed. */
  before?: SlotState | null;
}

export const OUTBOX_STATUSES = ['collecting', 'pending', 'sending', 'sent', 'dead', 'skipped'] as const;
/**
 * `collecting`: inside its batch window, more events may join; `pending`: rendered, waiting for its next
 * attempt; `sending`: an attempt is under way; `sent`; `dead`: gave up (reason in last_error);
 * `skipped`: nothing to send (no channel or address, or the batched changes cancelled out).
 */
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What a channel delivers: rendered once when the batch closes, identical on every retry. */
export interface RenderedMessage {
  subject: string;
  /** Plain text: the email's text part, and the SMS / chat body. */
  text: string;
  /** The email's HTML part. */
  html: string;
  /** A short form for SMS. */
  short: string;
}

export interface OutgoingMessage extends RenderedMessage {
  id: number;
  idempotencyKey: string;
  channel: Channel;
  /** Email address, phone number, or chat handle/name. */
  to: string;
  recipientName: string;
}

export type SendResult =
  | { ok: true; detail?: string }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

export interface ChannelSender {
  /** How it delivers, for the log: `smtp`, `webhook:twilio`, `file`, ... */
  readonly describe: string;
  send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult>;
  close?(): void;
}
