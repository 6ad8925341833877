import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 between one desktop and the sync server, so tests can fail the network under a
 * running sync client instead of asking the client to stop: `partition` resets every open connection and
 * refuses new ones (the client sees its sockets die and its reconnect attempts fail, as with a pulled
 * cable), `drop` resets the open connections only (a flaky Wi-Fi: the next attempt goes through), `heal`
 * lets connections through again. Resets are TCP RSTs, so whatever was in flight is lost mid-frame.
 * `holdReplies` keeps what the server sends from reaching the desktop (the desktop's own messages still go
 * through) until `releaseReplies`: a slow downlink, for ordering races deterministically.
 * The target port is fixed, so the relay keeps working across restarts of the server on the same port.
 */
export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: the server address a desktop signs in with. */
  readonly url: string;
  readonly port: number;
  readonly partitioned: boolean;
  /** Relayed connections currently open. */
  readonly openConnections: number;
  /** Connections accepted and relayed since the proxy started (refused ones not counted). */
  readonly relayed: number;
  partition(): void;
  heal(): void;
  drop(): void;
  holdReplies(): void;
  releaseReplies(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let partitioned = false;
  let holding = false;
  let relayed = 0;

  const reset = (socket: Socket) => {
    // resetAndDestroy needs a connected TCP handle; a socket still connecting is just destroyed.
    if (!socket.destroyed && !socket.connecting) socket.resetAndDestroy();
    else socket.destroy();
  };
  const cutAll = () => {
    for (const pair of pairs) pair.forEach(reset);
    pairs.clear();
  };

  const server = createServer((client) => {
    if (partitioned) {
      client.on('error', () => undefined);
      reset(client);
      return;
    }
    relayed++;
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // An error on either side (a reset, the server down) resets the other: the peer learns at once.
    const fail = () => {
      if (pairs.delete(pair)) pair.forEach(reset);
    };
    client.on('error', fail);
    upstream.on('error', fail);
    // A graceful close travels through as one (pipe ends the other side once everything is written).
    let closed = 0;
    const onClose = () => {
      if (++closed === 2) pairs.delete(pair);
    };
    client.on('close', onClose);
    upstream.on('close', onClose);
    client.pipe(upstream);
    if (holding) upstream.pause();
    else upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy: no TCP address');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get partitioned() {
      return partitioned;
    },
    get openConnections() {
      return pairs.size;
    },
    get relayed() {
      return relayed;
    },
    partition() {
      partitioned = true;
      cutAll();
    },
    heal() {
      partitioned = false;
    },
    drop: cutAll,
    holdReplies() {
      holding = true;
      for (const [client, upstream] of pairs) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    releaseReplies() {
      holding = false;
      // pipe() resumes the paused stream: what was held is delivered first, in order.
      for (const [client, upstream] of pairs) upstream.pipe(client);
    },
    close() {
      partitioned = true;
      cutAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
