/**
 * Message text made fit for each channel. Titles, notes, names and addresses come from the documents,
 * which any client with a token can write, so none of it may be taken as markup by the channel that shows it:
 *
 * - Slack mrkdwn reads `<...>` as links and mentions (`<!channel>` pings everyone, `<https://evil|click>`
 *   is a link disguised as a word) and `&` as the start of an entity; Slack asks for exactly these three to
 *   be escaped as `&amp;`, `&lt;`, `&gt;` (api.slack.com/reference/surfaces/formatting#escaping).
 * - SMS is plain text on a small screen: control characters could reset a line or hide text, and
 *   direction overrides (U+202E) make text read differently than it is written, so they are removed and
 *   the message is one line.
 * - Every channel drops those characters; newlines and tabs stay where the channel shows lines.
 */

/** C0/C1 controls except tab and newline, and the bidirectional embeddings, overrides and isolates. */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/** Slack may turn a bare @here / @channel / @everyone into a ping; a word joiner keeps it as text. */
const BROADCAST = /@(?=(?:here|channel|everyone)\b)/gi;
const WORD_JOINER = '\u2060';

/** Plain text with its lines: CR/CRLF become newlines, invisible controls are removed. */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

/** One line of plain text: every run of whitespace (newlines included) becomes one space. */
export function oneLine(text: string): string {
  return plainText(text).replace(/\s+/g, ' ').trim();
}

/** Text for a Slack mrkdwn field: shows exactly as written, never as a link, mention or entity. */
export function slackText(text: string): string {
  return plainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST, `@${WORD_JOINER}`);
}

/** A Slack user mention as Slack writes it (`<@U024BE7LH>`); the only markup a chat handle may carry. */
const USER_MENTION = /^<@[UW][A-Z0-9]{2,20}>$/;

/**
 * Who a chat message is for: a Slack user id mention is kept (it notifies that person); an `@name` handle
 * is shown as text; anything else (a plain name) is shown in bold.
 */
export function slackMention(handle: string): string {
  const trimmed = oneLine(handle);
  if (USER_MENTION.test(trimmed)) return trimmed;
  return trimmed.startsWith('@') ? slackText(trimmed) : `*${slackText(trimmed)}*`;
}

/** The SMS body: one readable line. */
export const smsText = oneLine;
