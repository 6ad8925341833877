import { useEffect, useState } from 'react';
import type { BackendClient, CommandReply, CommandRequest, EventName, RequestInput, RequestName, RequestOutput } from '../../../../core/api/contract';
import type { CommandInput, CommandName } from '../../../../core/commands/index';
import type { Settings } from '../../../../core/model';
import type { AppError, Result } from '../../../../core/result';

/** A request that never throws: a transport failure becomes an `internal` error Result like any other. */
export async function request<N extends RequestName>(
  client: Pick<BackendClient, 'request'>,
  name: N,
  input: RequestInput<N>,
): Promise<Result<RequestOutput<N>>> {
  try {
    return await client.request(name, input);
  } catch (error) {
    return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * `commands:run` with the command's own input and answer (the contract's `CommandRequest` / `CommandReply`,
 * from core's command table). The one place the transport's untyped answer is narrowed: every caller in the
 * renderer goes through here instead of casting a result by the command's name.
 */
export async function runCommand<N extends CommandName>(
  client: Pick<BackendClient, 'request'>,
  name: N,
  input: CommandInput<N>,
): Promise<Result<CommandReply<N>>> {
  const command: CommandRequest<N> = { name, input } as CommandRequest<N>;
  return (await request(client, 'commands:run', command)) as Result<CommandReply<N>>;
}

export interface Query<T> {
  data: T | undefined;
  error: AppError | null;
  /** True until the first answer (later refreshes keep showing the previous data). */
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `name(input)` and loads it again whenever one of `events` arrives (coarse invalidations,
 * docs/design.md §6) or the input changes. Stale answers are dropped.
 */
export function useBackendQuery<N extends RequestName>(
  client: BackendClient,
  name: N,
  input: RequestInput<N>,
  events: readonly EventName[],
): Query<RequestOutput<N>> {
  const inputKey = JSON.stringify(input);
  const eventsKey = events.join(',');
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ data: RequestOutput<N> | undefined; error: AppError | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });

  useEffect(() => {
    const offs = eventsKey
      .split(',')
      .filter(Boolean)
      .map((event) => client.on(event as EventName, () => setVersion((v) => v + 1)));
    return () => offs.forEach((off) => off());
  }, [client, eventsKey]);

  useEffect(() => {
    let live = true;
    void request(client, name, JSON.parse(inputKey) as RequestInput<N>).then((result) => {
      if (!live) return;
      setState((prev) =>
        result.ok ? { data: result.value, error: null, loading: false } : { data: prev.data, error: result.error, loading: false },
      );
    });
    return () => {
      live = false;
    };
  }, [client, name, inputKey, version]);

  return { ...state, reload: () => setVersion((v) => v + 1) };
}

/** The organization's settings (time zone above all), kept fresh on `roster:changed`. */
export function useOrgSettings(client: BackendClient): Query<Settings> {
  return useBackendQuery(client, 'settings:get', {}, ['roster:changed']);
}
