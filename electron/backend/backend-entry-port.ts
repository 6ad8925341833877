/**
 * The backend's channel, as plain types and one adapter: light enough for Electron main to import without
 * pulling the backend in (./backend-entry.ts serves it; ./backend-entry-remote.ts and main talk over it).
 */
import type { EventName, Result } from '../../core/index';

/** What the backend needs of a port: Node's MessagePort has it; Electron's MessagePortMain via `fromEventPort`. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off?(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start?(): void;
  close?(): void;
}

/** A port whose 'message' listeners receive a MessageEvent (`{data}`), as Electron's MessagePortMain does. */
export interface EventPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** Adapts a MessageEvent-style port (Electron's MessagePortMain) to `PortLike`. */
export function fromEventPort(port: EventPortLike): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    on: ((event: 'message' | 'close', listener: (message?: unknown) => void) =>
      event === 'message' ? port.on('message', (e) => listener(e.data)) : port.on('close', () => listener())) as PortLike['on'],
    start: () => port.start(),
    close: () => port.close(),
  };
}

export type RequestMessage = { id: number; name: string; input: unknown };
export type BackendMessage = { id: number; result: Result<unknown> } | { event: EventName; payload: unknown };
