import { expect } from 'vitest';
import type { EventName, EventPayloads, RequestName } from '../../../../core/api/contract';
import type { Result } from '../../../../core/result';
import type { BoardClient } from './board-state';

/** A fake backend for the board store's tests: every request waits until the test answers it, so the order of answers is the test's. */

interface Call {
  name: RequestName;
  input: Record<string, unknown>;
  answer(result: Result<unknown>): Promise<void>;
}

export class FakeClient implements BoardClient {
  calls: Call[] = [];
  private listeners = new Map<string, Set<(p: unknown) => void>>();

  request = ((name: RequestName, input: Record<string, unknown>) =>
    new Promise<Result<unknown>>((resolve) => {
      this.calls.push({
        name,
        input,
        answer: async (result) => {
          resolve(result);
          await flush();
        },
      });
    })) as BoardClient['request'];

  on = (<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (p: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (p: unknown) => void);
  }) as BoardClient['on'];

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  named(name: RequestName): Call[] {
    return this.calls.filter((c) => c.name === name);
  }

  /** The one unanswered call of this name (the test fails if there is not exactly one). */
  pending(name: RequestName): Call {
    const open = this.named(name).filter((c) => !answered.has(c));
    expect(open, `pending ${name}`).toHaveLength(1);
    answered.add(open[0]!);
    return open[0]!;
  }
}
const answered = new WeakSet<Call>();

export const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
