/**
 * A console-like client for the notification tests: the organization's two documents on stock y-websocket
 * providers, written through core's commands (as the desktop does), plus a settable clock.
 */
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { executeCommand, type CommandInput, type CommandName, type CommandOutput } from '../../../../core/commands/index';
import { ADMIN_ACTOR, sequentialIds } from '../../../../core/testing/fixture';
import type { Actor } from '../../../../core/model';
import { fromMs, toMs } from '../../../../core/time';
import { connectProvider, roomOf, waitUntil, whenSynced } from '../../sync/testing/harness';

export class Clock {
  private ms: number;
  constructor(iso: string) {
    this.ms = toMs(iso);
  }
  readonly now = (): number => this.ms;
  set(iso: string): void {
    this.ms = toMs(iso);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  iso(): string {
    return fromMs(this.ms).replace(/\.\d{3}Z$/, 'Z');
  }
}

let clientPrefix = 0x100;

export class OrgClient {
  readonly roster = new Y.Doc();
  readonly schedule = new Y.Doc();
  private providers: WebsocketProvider[] = [];
  private readonly newId = sequentialIds(clientPrefix++);

  constructor(
    private readonly wsUrl: string,
    readonly orgId: string,
    private readonly token: string,
    private readonly clock: { iso(): string } = { iso: () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
  ) {}

  async connect(): Promise<this> {
    this.providers = [
      connectProvider(this.wsUrl, roomOf(this.orgId, 'roster'), this.token, this.roster),
      connectProvider(this.wsUrl, roomOf(this.orgId, 'schedule'), this.token, this.schedule),
    ];
    await Promise.all(this.providers.map((p) => whenSynced(p, 20_000)));
    return this;
  }

  disconnect(): void {
    for (const p of this.providers) p.destroy();
    this.providers = [];
  }

  get connected(): boolean {
    return this.providers.length > 0 && this.providers.every((p) => p.wsconnected);
  }

  /** Connected and through the sync handshake on both rooms. */
  get synced(): boolean {
    return this.connected && this.providers.every((p) => p.synced);
  }

  /** A command on this client's documents; throws if it is refused (fixtures, not the behaviour under test). */
  run<N extends CommandName>(name: N, input: CommandInput<N>, actor: Actor = ADMIN_ACTOR): CommandOutput<N> {
    const result = executeCommand({ roster: this.roster, schedule: this.schedule, actor, now: () => this.clock.iso(), newId: this.newId }, name, input, 'local');
    if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
    return result.value;
  }

  /** Waits until `serverDocs()` holds everything this client wrote. */
  async pushedTo(serverDocs: () => { roster: Y.Doc; schedule: Y.Doc } | null, timeoutMs = 20_000): Promise<void> {
    const covers = (server: Y.Doc, mine: Y.Doc) => {
      const theirs = Y.decodeStateVector(Y.encodeStateVector(server));
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(mine))) {
        if ((theirs.get(client) ?? 0) < clock) return false;
      }
      return true;
    };
    await waitUntil(
      () => {
        const docs = serverDocs();
        return docs !== null && covers(docs.roster, this.roster) && covers(docs.schedule, this.schedule);
      },
      timeoutMs,
      'server to hold the client’s changes',
    );
  }
}

export interface SeededOrg {
  ana: string;
  ben: string;
  cat: string;
  dee: string;
  service: string;
}

/**
 * Northwind in Chicago: Ana (email + SMS + chat), Ben (email), Cat (SMS only, inactive for daily mail
 * checks when asked), customer Dee (email + SMS), a service.
 */
export function seedOrg(client: OrgClient): SeededOrg {
  client.run('initializeOrganization', { name: 'Northwind Home Services', timeZone: 'America/Chicago', dailyEmailTime: '05:00' });
  const ana = client.run('createProvider', {
    name: 'Ana Alvarez',
    email: 'ana@example.com',
    phone: '+1 312 555 0101',
    chatHandle: '@ana',
    channels: { email: true, sms: true, chat: true },
  }).id;
  const ben = client.run('createProvider', { name: 'Ben Brown', email: 'ben@example.com', channels: { email: true, sms: false, chat: false } }).id;
  const cat = client.run('createProvider', { name: 'Cat Chen', phone: '+1 312 555 0103', channels: { email: false, sms: true, chat: false } }).id;
  const dee = client.run('createCustomer', {
    name: 'Dee Dawson',
    email: 'dee@example.com',
    phone: '+1 312 555 0199',
    address: '12 Oak St, Chicago',
    channels: { email: true, sms: true },
  }).id;
  const service = client.run('createService', { name: 'Furnace tune-up', durationMinutes: 120 }).id;
  return { ana, ben, cat, dee, service };
}

/** Waits for a condition while something else (a worker tick, a sink) catches up. */
export const eventually = waitUntil;

export const DISPATCHER: Actor = { id: 'user-dispatcher', name: 'Dana Dispatcher', role: 'dispatcher' };
