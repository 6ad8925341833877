/**
 * Many nodes (issue 23, 2): what one node's rooms publish reaches the same rooms on every other node
 * through Redis pub/sub, as y-redis and Hocuspocus's Redis extension do. Document updates are already
 * durable in the shared PostgreSQL by the node that took them (or about to be: they are in its batch), so
 * a receiving node only applies and forwards them to its own clients; awareness is never stored. A
 * revocation on one node closes that user's sockets on all of them.
 *
 * Every node sees every message on one channel and drops those of rooms it has not loaded: simple, and
 * enough for a handful of nodes; per-room channels are the next step for many.
 */
import { errorFields, silentLog, type Log } from '../log';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const FANOUT_CHANNEL = 'crewline:sync';

const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const KIND_REVOKED = 2;

export interface FanoutHandlers {
  update(room: string, update: Uint8Array): void;
  awareness(room: string, update: Uint8Array): void;
  revoked(userId: string): void;
}

/** What a room host tells the other nodes. */
export interface Fanout {
  publishUpdate(room: string, update: Uint8Array): void;
  publishAwareness(room: string, update: Uint8Array): void;
  publishRevocation(userId: string): void;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Messages sent and received, for /metrics. */
  readonly sent: number;
  readonly received: number;
}

function encode(node: Buffer, kind: number, key: string, payload: Uint8Array): Buffer {
  const name = Buffer.from(key, 'utf8');
  const head = Buffer.alloc(1 + node.length + 2);
  head[0] = kind;
  node.copy(head, 1);
  head.writeUInt16BE(name.length, 1 + node.length);
  return Buffer.concat([head, name, payload]);
}

export class RedisFanout implements Fanout {
  sent = 0;
  received = 0;
  private readonly node = randomBytes(8);
  private closed = false;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log: Log,
  ) {}

  static async open(url: string, handlers: FanoutHandlers, log: Log = silentLog): Promise<RedisFanout> {
    // Publishing never waits on a reconnect for long: a lost message is repaired by the next sync handshake.
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    const sub = new Redis(url, { lazyConnect: true });
    const quiet = (error: Error) => log.error({ event: 'redis_error', message: error.message }, 'redis');
    pub.on('error', quiet);
    sub.on('error', quiet);
    await Promise.all([pub.connect(), sub.connect()]);
    const fanout = new RedisFanout(pub, sub, log);
    sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => fanout.receive(message, handlers));
    await sub.subscribe(FANOUT_CHANNEL);
    return fanout;
  }

  private receive(message: Buffer, handlers: FanoutHandlers): void {
    const n = this.node.length;
    if (message.length < 1 + n + 2) return;
    if (message.subarray(1, 1 + n).equals(this.node)) return; // our own
    this.received++;
    const kind = message[0];
    const keyLength = message.readUInt16BE(1 + n);
    const key = message.toString('utf8', 3 + n, 3 + n + keyLength);
    const payload = new Uint8Array(message.buffer, message.byteOffset + 3 + n + keyLength, message.length - 3 - n - keyLength);
    try {
      if (kind === KIND_UPDATE) handlers.update(key, payload);
      else if (kind === KIND_AWARENESS) handlers.awareness(key, payload);
      else if (kind === KIND_REVOKED) handlers.revoked(key);
    } catch (error) {
      this.log.error({ event: 'fanout_apply_failed', channel: key, ...errorFields(error) }, 'a message from another node could not be applied');
    }
  }

  private send(kind: number, key: string, payload: Uint8Array): void {
    if (this.closed) return;
    this.sent++;
    this.pub.publish(FANOUT_CHANNEL, encode(this.node, kind, key, payload)).catch((error: unknown) => {
      this.log.error({ event: 'fanout_publish_failed', ...errorFields(error) }, 'publishing to redis failed');
    });
  }

  publishUpdate(room: string, update: Uint8Array): void {
    this.send(KIND_UPDATE, room, update);
  }

  publishAwareness(room: string, update: Uint8Array): void {
    this.send(KIND_AWARENESS, room, update);
  }

  publishRevocation(userId: string): void {
    this.send(KIND_REVOKED, userId, new Uint8Array());
  }

  async ping(): Promise<void> {
    await this.pub.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
