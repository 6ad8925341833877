/**
 * Many nodes (issue 23, 2): what one node's rooms publish reaches the same rooms on every other node
 * through Redis pub/sub, as y-redis and Hocuspocus's Redis extension do. Document updates are already
 * durable in the shared PostgreSQL by the node that took them (or about to be: they are in its batch), so
 * a receiving node only applies and forwards them to its own clients; awareness is never stored. A
 * revocation on one node closes that user's sockets on all of them.
 *
 * Each room has its own channel (`roomChannel`): a node subscribes while it has the room loaded or is
 * reading it ahead, so a node gets only the traffic of its own rooms and adding nodes does not multiply
 * what each one receives. The registry joins a room's channel BEFORE it reads the room from PostgreSQL:
 * an update published meanwhile is then either in what it read or arrives on the channel (kept until
 * the room loads), never in neither. Revocations concern users, not rooms: they go on one control
 * channel every node follows.
 */
import { errorFields, silentLog, type Log } from '../log';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Revocations (every node follows it). */
export const FANOUT_CHANNEL = 'crewline:sync';

/** A room's updates and awareness. */
export function roomChannel(room: string): string {
  return `${FANOUT_CHANNEL}:room:${room}`;
}

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
  /** Starts receiving a room's messages; resolves once Redis has confirmed the subscription. */
  join(room: string): Promise<void>;
  /** Stops receiving a room's messages (the room was unloaded). */
  leave(room: string): void;
  /** Whether this node follows the room's channel. */
  follows(room: string): boolean;
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
  /** Rooms whose channel this node follows, with the subscription's confirmation. */
  private readonly joined = new Map<string, Promise<void>>();

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

  join(room: string): Promise<void> {
    const known = this.joined.get(room);
    if (known) return known;
    if (this.closed) return Promise.resolve();
    const subscribed = this.sub.subscribe(roomChannel(room)).then(
      () => {},
      (error: unknown) => {
        // Loading goes on: the room is read from the database, only live updates from other nodes are
        // missing until a client's next sync handshake (ioredis subscribes again when it reconnects).
        this.log.error({ event: 'fanout_subscribe_failed', room, ...errorFields(error) }, 'subscribing to a room channel failed');
      },
    );
    this.joined.set(room, subscribed);
    return subscribed;
  }

  leave(room: string): void {
    if (!this.joined.delete(room) || this.closed) return;
    // Same connection as the subscribe, so Redis sees them in order: a leave then a join stays joined.
    this.sub.unsubscribe(roomChannel(room)).catch((error: unknown) => {
      this.log.error({ event: 'fanout_unsubscribe_failed', room, ...errorFields(error) }, 'unsubscribing from a room channel failed');
    });
  }

  follows(room: string): boolean {
    return this.joined.has(room);
  }

  private send(kind: number, key: string, payload: Uint8Array): void {
    if (this.closed) return;
    this.sent++;
    const channel = kind === KIND_REVOKED ? FANOUT_CHANNEL : roomChannel(key);
    this.pub.publish(channel, encode(this.node, kind, key, payload)).catch((error: unknown) => {
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
