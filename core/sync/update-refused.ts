/**
 * How the sync server says it refused a client's update (`core/doc/update-rules.ts`): the connection is
 * closed with this code and the reason. 44xx, so y-websocket does not reconnect and resend the same update
 * in a loop; the desktop stops syncing and shows the reason instead of treating it as a revoked sign-in.
 */
export const CLOSE_UPDATE_REFUSED = 4422;

/** A WebSocket close reason holds at most 123 bytes of UTF-8. */
const MAX_REASON_BYTES = 123;

/** `update refused: <what>: <why>`, cut (on a character boundary) to fit a close frame. */
export function updateRefusedReason(message: string): string {
  const reason = `update refused: ${message}`;
  if (utf8Length(reason) <= MAX_REASON_BYTES) return reason;
  let cut = '';
  let bytes = 3; // the '...' at the end
  for (const char of reason) {
    bytes += utf8Length(char);
    if (bytes > MAX_REASON_BYTES) break;
    cut += char;
  }
  return `${cut}...`;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
