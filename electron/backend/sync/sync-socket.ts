import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';

/**
 * The WebSocket the sync providers use in Node: `ws`, remembering the HTTP status when the server refuses
 * the upgrade. Crewline's server checks the token at the upgrade and answers 401 (unknown or revoked
 * token) or 403 (another organization, a technician) before any WebSocket exists; a browser-style socket
 * would only report "closed", and y-websocket would retry a revoked token forever.
 */
export class SyncSocket extends WebSocket {
  /** The refused upgrade's status (401, 403, 404, 503, ...), or null. */
  refusedWith: number | null = null;

  constructor(url: string | URL, protocols?: string | string[]) {
    // A server that accepts TCP but never answers the upgrade must not hold "connecting" forever.
    super(url, protocols, { handshakeTimeout: 10_000 });
    this.on('unexpected-response', (_request: ClientRequest, response: IncomingMessage) => {
      this.refusedWith = response.statusCode ?? 0;
      response.resume();
      // With this listener ws no longer aborts by itself: terminate() aborts the handshake and ends in
      // 'error' + 'close', the events y-websocket reacts to.
      this.terminate();
    });
  }
}

/** A refusal that retrying cannot fix: the user must sign in again (or use another account). */
export const isAuthRefusal = (status: number | null): boolean => status === 401 || status === 403;
