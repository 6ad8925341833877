import type { EventName, Result } from '../../../core/index';
import type { ConsoleClient } from './types';

/**
 * What every transport's client does alike once a frame is in hand: keep the event and connection
 * listeners, and route a backend frame (`{id, result}` answers a request, `{event, payload}` is an event).
 * The MessagePort client and the WebSocket client differ only in how frames travel.
 */
export class ClientEvents {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();

  readonly on: ConsoleClient['on'] = (event, listener) => {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  };

  readonly onConnectionChange: ConsoleClient['onConnectionChange'] = (listener) => {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  };

  connectionChanged(connected: boolean): void {
    for (const listener of this.connectionListeners) safely(() => listener(connected));
  }

  /** A frame from the backend: `answer(id, result)` for an answer, listeners for an event; anything else is ignored. */
  route(frame: unknown, answer: (id: number, result: Result<unknown>) => void): void {
    if (typeof frame !== 'object' || frame === null) return;
    const message = frame as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof message.id === 'number') answer(message.id, message.result as Result<unknown>);
    else if (typeof message.event === 'string') {
      for (const listener of this.listeners.get(message.event as EventName) ?? []) safely(() => listener(message.payload as never));
    }
  }
}

/** A listener that throws must not stop the others, nor the transport. */
function safely(run: () => void): void {
  try {
    run();
  } catch (error) {
    console.error('crewline: an API listener threw', error);
  }
}
