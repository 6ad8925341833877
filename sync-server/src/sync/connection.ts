/**
 * One client socket in one room, after the upgrade was authorized. It reads y-websocket messages (sync,
 * awareness, query awareness) and Crewline's ack request, and enforces the per-connection limits.
 *
 * Anything a client sends that breaks the protocol closes this connection only, with a reason:
 * 1003 for a text frame or an unknown message type, 1007 for a malformed message or an update that cannot
 * be applied, 1008 for breaking a limit (rate, awareness, no sync handshake), 1009 (by ws) for a frame
 * over the size limit, 4422 for an update the document rules refuse (`room.ts`). The room's document is
 * untouched by a refused message.
 */
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import { encodeAck } from '../../../core/sync/ack';
import type { Principal } from '../auth/principal';
import type { SyncLimits } from './limits';
import type { RejectReason, SyncMetrics } from './metrics';
import {
  encodeAwarenessMessage,
  encodeSyncStep2,
  MESSAGE_ACK,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from './protocol';
import type { Room } from './room';
import type { RoomLogStore } from './room-log';
import { TokenBucket } from './token-bucket';
import { checkStateVector, checkUpdate } from './update-guard';

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_UNSUPPORTED = 1003;
export const CLOSE_INVALID = 1007;
export const CLOSE_POLICY = 1008;
export const CLOSE_INTERNAL = 1011;
export const CLOSE_TRY_AGAIN = 1013;

/** Length of an empty Yjs update ([0 clients, 0 delete-set clients]): a viewer's no-op sync step 2. */
const EMPTY_UPDATE_BYTES = 2;

class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: RejectReason,
  ) {
    super(message);
  }
}

export interface ConnectionDeps {
  limits: SyncLimits;
  metrics: SyncMetrics;
  store: RoomLogStore;
  onClosed(conn: Connection): void;
}

export class Connection {
  readonly readOnly: boolean;
  wantsAcks = false;
  synced = false;
  /** Cleared by each ping round, set by a pong or any message. */
  alive = true;
  private closed = false;
  private ackQueued = false;
  private corked = false;
  /**
   * Size of the largest sync step 2 sent: a big document takes a slow link a while to drain, and the
   * updates that arrive meanwhile must not count it against the client.
   */
  private handshakeBytes = 0;
  private readonly messages: TokenBucket;
  private readonly step1s: TokenBucket;
  private readonly bytes: TokenBucket;
  private syncDeadline: NodeJS.Timeout | null;

  constructor(
    readonly ws: WebSocket,
    /** The upgraded TCP socket under `ws` (corked while a turn's messages are queued). */
    private readonly socket: Duplex,
    readonly principal: Principal,
    /** Kept to re-check the connection when its user's access changes. */
    readonly token: string,
    readonly room: Room,
    private readonly deps: ConnectionDeps,
  ) {
    const { limits } = deps;
    this.readOnly = principal.role === 'viewer';
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.step1s = new TokenBucket(limits.syncStep1PerSecond, limits.syncStep1Burst);
    this.bytes = new TokenBucket(limits.bytesPerSecond, Math.max(limits.byteBurst, limits.maxPayloadBytes));
    this.syncDeadline = setTimeout(() => {
      this.syncDeadline = null;
      if (!this.synced) this.close(CLOSE_POLICY, `No sync step 1 within ${limits.syncDeadlineMs} ms`);
    }, limits.syncDeadlineMs);
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') deps.metrics.updateRejected('too_large');
      else if (error.code?.startsWith('WS_ERR_')) deps.metrics.updateRejected('malformed');
    });
    ws.on('close', () => this.onClose());
    room.attach(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(message: Buffer | Uint8Array): void {
    const ws = this.ws;
    if (this.closed || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.deps.limits.maxBufferedBytes + this.handshakeBytes) {
      // A client that does not read would make us hold every broadcast for it.
      this.terminate();
      return;
    }
    if (!this.corked) {
      // Everything sent to this socket in this turn of the event loop (a burst of updates arrives as one
      // TCP read) leaves in one write instead of one syscall per frame.
      this.corked = true;
      this.socket.cork();
      uncorkAtTickEnd(this);
    }
    ws.send(message);
    this.deps.metrics.bytesOut += message.byteLength;
  }

  /** @internal */
  uncork(): void {
    this.corked = false;
    this.socket.uncork();
  }

  /** Sends the room's state vector once the updates applied so far are committed (ack extension). */
  ackWhenDurable(): void {
    if (!this.wantsAcks || this.ackQueued || this.closed) return;
    this.ackQueued = true;
    this.deps.store.whenDurable(() => {
      this.ackQueued = false;
      if (!this.closed && !this.room.isDestroyed) this.send(encodeAck(this.room.doc));
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.markClosed();
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  terminate(): void {
    if (this.closed) return;
    this.markClosed();
    this.ws.terminate();
  }

  private markClosed(): void {
    this.closed = true;
    if (this.syncDeadline) {
      clearTimeout(this.syncDeadline);
      this.syncDeadline = null;
    }
    // Leave the room now, not when the close handshake ends: no more broadcasts to a closing socket.
    this.room.detach(this);
  }

  private onClose(): void {
    if (!this.closed) this.markClosed();
    this.deps.onClosed(this);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    const { metrics } = this.deps;
    metrics.messagesIn++;
    metrics.bytesIn += data.byteLength;
    this.alive = true;
    if (!this.messages.take()) return this.refuse(new ProtocolError(CLOSE_POLICY, 'Too many messages', 'rate_limited'));
    if (!this.bytes.take(data.byteLength)) return this.refuse(new ProtocolError(CLOSE_POLICY, 'Too much data', 'rate_limited'));
    if (!isBinary) return this.refuse(new ProtocolError(CLOSE_UNSUPPORTED, 'Binary frames only', 'malformed'));
    try {
      this.handle(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (error) {
      this.refuse(
        error instanceof ProtocolError ? error : new ProtocolError(CLOSE_INVALID, 'Malformed message', 'malformed'),
      );
    }
  }

  private refuse(error: ProtocolError): void {
    this.deps.metrics.updateRejected(error.reason);
    this.close(error.code, error.message);
  }

  private handle(bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        expectEnd(decoder);
        if (step === SYNC_STEP_1) return this.onSyncStep1(payload);
        if (step === SYNC_STEP_2 || step === SYNC_UPDATE) return this.onUpdate(payload);
        throw new ProtocolError(CLOSE_UNSUPPORTED, `Unknown sync message ${step}`, 'malformed');
      }
      case MESSAGE_AWARENESS: {
        const payload = decoding.readVarUint8Array(decoder);
        expectEnd(decoder);
        return this.onAwareness(payload);
      }
      case MESSAGE_QUERY_AWARENESS: {
        expectEnd(decoder);
        const states = this.room.awareness.getStates();
        this.send(encodeAwarenessMessage(this.room.awareness, [...states.keys()]));
        return;
      }
      case MESSAGE_ACK:
        expectEnd(decoder);
        this.wantsAcks = true;
        this.deps.store.whenDurable(() => {
          if (!this.closed) this.send(encodeAck(this.room.doc));
        });
        return;
      default:
        throw new ProtocolError(CLOSE_UNSUPPORTED, `Unknown message type ${type}`, 'malformed');
    }
  }

  private onSyncStep1(stateVector: Uint8Array): void {
    if (!this.step1s.take()) throw new ProtocolError(CLOSE_POLICY, 'Too many sync requests', 'rate_limited');
    const invalid = checkStateVector(stateVector);
    if (invalid) throw new ProtocolError(CLOSE_INVALID, `Malformed state vector: ${invalid}`, 'malformed');
    this.synced = true;
    if (this.syncDeadline) {
      clearTimeout(this.syncDeadline);
      this.syncDeadline = null;
    }
    const reply = encodeSyncStep2(this.room.doc, stateVector);
    this.handshakeBytes = Math.max(this.handshakeBytes, reply.byteLength);
    this.send(reply);
  }

  private onUpdate(update: Uint8Array): void {
    if (this.readOnly) {
      // Viewers read; what they write is dropped (their handshake's empty step 2 is not worth counting).
      if (update.byteLength > EMPTY_UPDATE_BYTES) this.deps.metrics.updateRejected('read_only');
      return;
    }
    const invalid = checkUpdate(update);
    if (invalid) throw new ProtocolError(CLOSE_INVALID, `Malformed update: ${invalid}`, 'malformed');
    const refused = this.room.applyClientUpdate(this, update);
    if (refused) throw new ProtocolError(refused.code, refused.message, refused.reason);
    // Acked even when it changed nothing here (the room already had it, e.g. a delete another client made
    // first): the sender counts it as pending until an ack covers it, and publishing sends none then.
    this.ackWhenDurable();
  }

  private onAwareness(update: Uint8Array): void {
    const { limits } = this.deps;
    if (update.byteLength > limits.maxAwarenessBytes) {
      throw new ProtocolError(CLOSE_POLICY, `Awareness message over ${limits.maxAwarenessBytes} bytes`, 'too_large');
    }
    applyAwarenessUpdate(this.room.awareness, update, this);
    const controlled = this.room.controlledBy(this);
    if (controlled && controlled.size > limits.maxAwarenessClientsPerConnection) {
      throw new ProtocolError(CLOSE_POLICY, 'Too many awareness clients on one connection', 'rate_limited');
    }
  }
}

const corkedConnections: Connection[] = [];

function uncorkAtTickEnd(conn: Connection): void {
  if (corkedConnections.push(conn) === 1) process.nextTick(uncorkAll);
}

function uncorkAll(): void {
  // Uncorking can run handlers that send and cork again: those queue for a later tick.
  const batch = corkedConnections.splice(0);
  for (const conn of batch) conn.uncork();
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoder.pos !== decoder.arr.length) throw new ProtocolError(CLOSE_INVALID, 'Trailing bytes after message', 'malformed');
}
