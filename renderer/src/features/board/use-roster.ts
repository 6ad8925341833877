import { useCallback, useEffect, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import { setOrganizationTimeFormat } from './time-format.ts';
import type { Customer, Provider, Service, Settings } from '../../../../core/model.ts';

export interface Roster {
  settings: Settings;
  /** Every provider (inactive too), sorted the way the board shows rows. */
  providers: Provider[];
  providersById: Map<string, Provider>;
  services: Map<string, Service>;
  customers: Map<string, Customer>;
}

const byRowOrder = (a: Provider, b: Provider) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name);

async function loadRoster(client: BackendClient): Promise<Roster> {
  const [settings, providers, services, customers] = await Promise.all([
    client.request('settings:get', {}),
    client.request('providers:list', { includeInactive: true }),
    client.request('services:list', {}),
    client.request('customers:list', {}),
  ]);
  if (!settings.ok) throw new Error(settings.error.message);
  if (!providers.ok) throw new Error(providers.error.message);
  if (!services.ok) throw new Error(services.error.message);
  if (!customers.ok) throw new Error(customers.error.message);
  const sorted = [...providers.value].sort(byRowOrder);
  setOrganizationTimeFormat(settings.value.timeFormat);
  return {
    settings: settings.value,
    providers: sorted,
    providersById: new Map(sorted.map((p) => [p.id, p])),
    services: new Map(services.value.map((s) => [s.id, s])),
    customers: new Map(customers.value.map((c) => [c.id, c])),
  };
}

/** Settings, providers, services and customers; re-read whenever `roster:changed` arrives. */
export function useRoster(client: BackendClient): { roster: Roster | null; error: string | null; reload: () => void } {
  const [roster, setRoster] = useState<Roster | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    loadRoster(client).then(
      (r) => {
        setRoster(r);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [client]);
  useEffect(() => {
    reload();
    return client.on('roster:changed', reload);
  }, [client, reload]);
  return { roster, error, reload };
}
