import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { encodeAckRequest, MESSAGE_ACK, readAckBody } from '../../../core/sync/ack';
import { CLOSE_UPDATE_REFUSED } from '../../../core/sync/update-refused';
import { isAuthRefusal, SyncSocket } from './sync-socket';

const MESSAGE_SYNC = 0;
/** WebSocket close code "message too big" (RFC 6455), sent by ws when a frame exceeds maxPayload. */
const CLOSE_MESSAGE_TOO_BIG = 1009;

/** How an incoming sync message that may change the document is applied (the store wraps it in a write). */
export type ApplyIncoming = (kind: 'step2' | 'update', apply: () => void) => void;

export interface RoomConnectionOptions {
  /** `ws://host:port/sync` */
  syncUrl: string;
  room: string;
  token: string;
  doc: Y.Doc;
  apply: ApplyIncoming;
  /** Ask the server for acks (core/sync/ack.ts) and report them. */
  onAck?: (serverState: Map<number, number>) => void;
  /** Any change of `phase`, `synced`, `refusedWith` or `failure`. */
  onChange: () => void;
  maxBackoffMs?: number;
}

export type RoomPhase = 'connecting' | 'connected' | 'stopped';

/**
 * One y-websocket room, with the stock `WebsocketProvider` as the client (docs/design.md §7) and three additions:
 * incoming document changes go through `apply` (one store write each: no second path into the document),
 * the ack extension, and a stop on an upgrade the server refused for auth (401/403), which y-websocket
 * would otherwise retry forever. Local updates are sent by the provider itself: it listens to the
 * document's 'update' event for every origin but its own.
 */
export class RoomConnection {
  readonly provider: WebsocketProvider;
  phase: RoomPhase = 'connecting';
  /** Closed connection attempts since the last successful connection. */
  failedAttempts = 0;
  /** Set when the server refused the token or the room: retrying stopped. */
  refusedWith: number | null = null;
  /**
   * Set when the room stopped for a reason retrying cannot fix: `store`, applying what the server sent
   * failed; `server`, the server refused what we sent, as too large (close 1009) or by its document rules
   * (close 4422, `core/sync/update-refused.ts`). The message is the whole explanation.
   */
  failure: { code: 'store' | 'server'; message: string } | null = null;
  private ackRequestedOn: unknown = null;

  constructor(private readonly options: RoomConnectionOptions) {
    const provider = new WebsocketProvider(options.syncUrl, options.room, options.doc, {
      connect: false,
      params: { token: options.token },
      WebSocketPolyfill: SyncSocket as unknown as typeof WebSocket,
      // BroadcastChannel would sync providers of the same room inside this process (other desktops in a
      // test, the probe) without the server: everything must go through the server.
      disableBc: true,
      maxBackoffTime: options.maxBackoffMs ?? 5000,
    });
    this.provider = provider;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced) => this.onSyncMessage(encoder, decoder, p, emitSynced);
    if (options.onAck) {
      const onAck = options.onAck;
      provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => onAck(readAckBody(decoder));
    }
    provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.phase = 'connected';
        this.failedAttempts = 0;
        this.ackRequestedOn = null;
      } else if (this.phase !== 'stopped') this.phase = 'connecting';
      options.onChange();
    });
    provider.on('sync', () => options.onChange());
    provider.on('connection-close', (event, p) => {
      const socket = p.ws as unknown as SyncSocket | null;
      if (event?.code === CLOSE_MESSAGE_TOO_BIG) {
        // The same handshake would be refused again, forever: stop and say so.
        p.shouldConnect = false;
        this.failure = {
          code: 'server',
          message: `The server refused to take this workspace's changes in one message (over its size limit${event.reason ? `: ${event.reason}` : ''}); ask the server's admin to raise it`,
        };
        this.phase = 'stopped';
      } else if (socket && isAuthRefusal(socket.refusedWith)) {
        // The scheduled reconnect becomes a no-op, as with y-websocket's own terminal close codes.
        p.shouldConnect = false;
        this.refusedWith = socket.refusedWith;
        this.phase = 'stopped';
      } else if (this.phase !== 'stopped') {
        this.failedAttempts++;
        this.phase = 'connecting';
      }
      options.onChange();
    });
    // Close codes 4400-4499: the server decided that reconnecting cannot help (y-websocket stops).
    provider.on('closed', ({ code, reason }) => {
      if (code === CLOSE_UPDATE_REFUSED) {
        // Not a sign-in problem: this workspace holds a change the server's rules refuse, and every
        // handshake would send it again. Keep the token; say what was refused.
        this.failure = { code: 'server', message: `The server refused a change from this workspace (${reason || code})` };
      } else this.refusedWith = code;
      this.phase = 'stopped';
      options.onChange();
    });
  }

  get connected(): boolean {
    return this.phase === 'connected';
  }

  get synced(): boolean {
    return this.phase === 'connected' && this.provider.synced;
  }

  get awareness() {
    return this.provider.awareness;
  }

  connect(): void {
    this.phase = 'connecting';
    this.provider.connect();
  }

  disconnect(): void {
    this.phase = 'stopped';
    this.provider.disconnect();
  }

  destroy(): void {
    this.phase = 'stopped';
    this.provider.destroy();
    // The provider leaves its awareness (and the awareness's timer) to whoever made it.
    this.provider.awareness.destroy();
  }

  /**
   * y-websocket's sync handler, with two differences: a step 2 or update is applied through `apply`, and
   * an error while applying is not swallowed (y-protocols logs and drops it, which would leave the
   * document and the store's log apart): the connection stops and `failure` says why.
   */
  private onSyncMessage(encoder: encoding.Encoder, decoder: decoding.Decoder, provider: WebsocketProvider, emitSynced: boolean): void {
    const kind = decoding.peekVarUint(decoder);
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    const read = () => {
      syncProtocol.readSyncMessage(decoder, encoder, provider.doc, provider, (error) => {
        throw error;
      });
    };
    if (kind === syncProtocol.messageYjsSyncStep1) {
      // Only reads the document: the answer (our step 2, what the server lacks) goes into `encoder`.
      read();
      this.requestAcksAfterReply();
      return;
    }
    try {
      this.options.apply(kind === syncProtocol.messageYjsSyncStep2 ? 'step2' : 'update', read);
    } catch (error) {
      this.failure = { code: 'store', message: error instanceof Error ? error.message : String(error) };
      queueMicrotask(() => {
        this.disconnect();
        this.options.onChange();
      });
      return;
    }
    // After the write committed, so 'sync' listeners never run inside the store's transaction.
    if (emitSynced && kind === syncProtocol.messageYjsSyncStep2 && !provider.synced) provider.synced = true;
  }

  /**
   * The ack request goes out once per connection, after our answer to the server's step 1 (the provider
   * sends that answer when this handler returns; a microtask runs after it). The server reads our step 2
   * first, so the first ack already covers everything this desktop did while offline.
   */
  private requestAcksAfterReply(): void {
    if (!this.options.onAck) return;
    const socket = this.provider.ws;
    if (socket === null || this.ackRequestedOn === socket) return;
    this.ackRequestedOn = socket;
    queueMicrotask(() => {
      if (this.provider.ws === socket && socket.readyState === socket.OPEN) socket.send(encodeAckRequest());
    });
  }
}
