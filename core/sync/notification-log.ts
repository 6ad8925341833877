/**
 * The sync server's notification log as the console shows it (the job panel's "Notifications", the Team
 * screen's dead letters): what was sent about a job, to whom, on which channel, and how it went
 * (sync-server/README.md "Notifications"). Reached through the backend's `notifications:*` requests.
 */
export const NOTIFICATION_STATUSES = ['collecting', 'pending', 'sending', 'sent', 'dead', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationEntry {
  id: number;
  kind: 'batch' | 'daily';
  status: NotificationStatus;
  channel: 'email' | 'sms' | 'chat' | 'none';
  recipient: { kind: 'provider' | 'customer'; id: string; name: string; address: string };
  subject: string | null;
  /** The jobs the message is about, with what happened to each (assigned, updated, dispatched, ...). */
  bookings: Array<{ bookingId: string; kinds: string[] }>;
  attempts: number;
  /** Why it failed or was not sent. */
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  /** While batching: when the message is composed and sent. */
  holdUntil: string | null;
}

export const NOTIFICATION_STATUS_LABELS: Record<NotificationStatus, string> = {
  collecting: 'Waiting to batch',
  pending: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  dead: 'Failed',
  skipped: 'Not sent',
};

export const NOTIFICATION_CHANNEL_LABELS: Record<NotificationEntry['channel'], string> = {
  email: 'Email',
  sms: 'SMS',
  chat: 'Team chat',
  none: '—',
};
