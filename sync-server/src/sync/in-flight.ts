/**
 * A server-wide bound on the bytes that clients' incoming frames hold in memory. ws reads a whole message
 * into memory before handing it over, so per-connection limits alone let several connections each fill
 * up to the frame limit at once (four viewers sending one 60 MiB frame each took the server from 227 to
 * 606 MB).
 *
 * Each connection's socket data passes through a WebSocket frame-header reader placed in front of ws.
 * When a data frame's header arrives, its declared length is reserved from the shared budget, before a
 * byte of its payload reaches ws; the reservation is released once the message it completes has been
 * handled, or when the connection closes. A frame that does not fit is never handed to ws: it and every
 * later data frame of that connection are dropped as their bytes arrive (nothing is buffered), the
 * connection is refused (closed with 1013, try again later), and control frames still pass so the closing
 * handshake completes.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** Frames up to this size (edits, awareness, acks) may also use the small reserve. */
export const SMALL_FRAME_BYTES = 64 * 1024;
/**
 * Kept beyond `max` for small frames only, so that big uploads filling the budget do not also refuse the
 * keystroke-sized updates of everyone else.
 */
export const SMALL_RESERVE_BYTES = 4 * 1024 * 1024;

export class BytesInFlight {
  private used = 0;

  constructor(readonly max: number) {}

  get current(): number {
    return this.used;
  }

  tryReserve(bytes: number): boolean {
    const limit = bytes <= SMALL_FRAME_BYTES ? this.max + SMALL_RESERVE_BYTES : this.max;
    if (this.used + bytes > limit) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used -= bytes;
  }
}

export interface FrameGateOptions {
  budget: BytesInFlight;
  /** Frames declared larger than this are passed on for ws to refuse (1009): it does so at the header. */
  maxPayloadBytes: number;
  /** True once the connection reads no more messages: its data frames are dropped, not reserved. */
  isClosed(): boolean;
  /** A data frame of `bytes` did not fit in the budget; the gate drops it and every later data frame. */
  refuse(bytes: number): void;
}

const MAX_HEADER_BYTES = 14;
/** Payload lengths need more than 53 bits beyond this high word; ws refuses such frames. */
const MAX_SAFE_HIGH_WORD = 2 ** 21 - 1;

function headerLength(header: Uint8Array, filled: number): number {
  if (filled < 2) return 2;
  const len7 = header[1]! & 0x7f;
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (header[1]! & 0x80 ? 4 : 0);
}

function payloadLength(header: Uint8Array): number {
  const len7 = header[1]! & 0x7f;
  if (len7 < 126) return len7;
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (len7 === 126) return view.getUint16(2);
  const high = view.getUint32(2);
  return high > MAX_SAFE_HIGH_WORD ? Infinity : high * 2 ** 32 + view.getUint32(6);
}

/**
 * Puts the frame gate between `socket` and the ws that reads it (call right after the upgrade, before any
 * data flows). Reservations are released through `ws`'s `message` events, so register this after the
 * connection's own message handler.
 */
export function gateIncomingFrames(socket: Duplex, ws: WebSocket, options: FrameGateOptions): void {
  const { budget } = options;
  // ws's own reader (socketOnData) and anything else listening: they now get only the bytes let through.
  const downstream = socket.listeners('data') as Array<(this: Duplex, chunk: Buffer) => void>;
  socket.removeAllListeners('data');

  const header = new Uint8Array(MAX_HEADER_BYTES);
  let headerFill = 0;
  /** Payload bytes of the current frame still to come, and whether they go to ws. */
  let remaining = 0;
  let passing = true;
  /** Once a data frame is dropped, all later ones are: ws must never see a message with a hole in it. */
  let dropping = false;
  /** ws stopped reading (an error) or the connection is gone: every byte is dropped. */
  let stopped = false;
  let released = false;
  /** Reserved bytes of the message being received, and of received messages ws has yet to hand over. */
  let partial = 0;
  const complete: number[] = [];

  /** Decides the frame whose header is in `header`; returns the bytes refused, or 0. */
  const decide = (): number => {
    const opcode = header[0]! & 0x0f;
    const fin = (header[0]! & 0x80) !== 0;
    const length = payloadLength(header);
    remaining = length;
    passing = true;
    if (opcode >= 0x8) return 0;
    if (dropping || options.isClosed()) {
      dropping = true;
      passing = false;
      return 0;
    }
    if (length > options.maxPayloadBytes) return 0;
    if (!budget.tryReserve(length)) {
      dropping = true;
      passing = false;
      return Math.max(1, length);
    }
    partial += length;
    if (fin) {
      complete.push(partial);
      partial = 0;
    }
    return 0;
  };

  const onData = (chunk: Buffer): void => {
    if (stopped) return;
    const out: Buffer[] = [];
    let run = -1; // start in `chunk` of passed bytes not yet in `out`
    const flush = (end: number) => {
      if (run >= 0 && end > run) out.push(chunk.subarray(run, end));
      run = -1;
    };
    let refused = 0;
    let pos = 0;
    while (pos < chunk.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - pos);
        if (passing) {
          if (run < 0) run = pos;
        } else flush(pos);
        pos += n;
        remaining -= n;
        continue;
      }
      // A header, whose first bytes may have come with the previous chunk.
      const start = pos;
      const carried = headerFill;
      while (pos < chunk.length && headerFill < headerLength(header, headerFill)) header[headerFill++] = chunk[pos++]!;
      if (headerFill < headerLength(header, headerFill)) {
        flush(start);
        break;
      }
      headerFill = 0;
      refused ||= decide();
      if (!passing) flush(start);
      else if (carried > 0) {
        out.push(Buffer.from(header.subarray(0, carried)));
        run = start;
      } else if (run < 0) run = start;
    }
    flush(chunk.length);
    for (const part of out) for (const listener of downstream) listener.call(socket, part);
    if (refused) options.refuse(refused);
  };
  socket.on('data', onData);

  ws.on('message', () => budget.release(complete.shift() ?? 0));
  const releaseAll = () => {
    stopped = true;
    if (released) return;
    released = true;
    budget.release(partial + complete.reduce((sum, n) => sum + n, 0));
    partial = 0;
    complete.length = 0;
  };
  ws.once('close', releaseAll);
  socket.once('close', releaseAll);
  // ws stops reading after a protocol error, but it cannot unhook a reader it did not attach.
  ws.once('error', () => {
    stopped = true;
  });
}
