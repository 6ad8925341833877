import { use, useCallback } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import { formatterFor } from '../../../../core/format.ts';
import type { Settings } from '../../../../core/model.ts';
import { toMs } from '../../../../core/time.ts';
import { ClientContext } from '../../components/ClientContext.tsx';
import { useOrgSettings } from './backend';

/**
 * "Tue, Nov 24, 2026, 9:00 AM": an instant (a sync, a backup, an invite's expiry) as the organization reads
 * it, in its zone and its 12/24-hour clock (core/format.ts), not the machine's. Before the settings have
 * loaded, UTC in the 24 h clock, labelled, so nothing reads as a local time it is not.
 */
export function whenText(iso: string, settings: Pick<Settings, 'timeZone' | 'timeFormat'> | undefined): string {
  const ms = toMs(iso);
  const f = formatterFor(settings ? { timeZone: settings.timeZone, timeFormat: settings.timeFormat } : { timeZone: 'UTC', timeFormat: '24h' });
  return `${f.dayWithYear(ms)}, ${f.time(ms)}${settings ? '' : ' UTC'}`;
}

/** `whenText` for the organization this console shows (its client from the context when not given). */
export function useOrgWhen(client?: BackendClient): (iso: string) => string {
  const fromContext = use(ClientContext);
  const settings = useOrgSettings(client ?? fromContext ?? missingClient()).data;
  const timeZone = settings?.timeZone;
  const timeFormat = settings?.timeFormat;
  return useCallback(
    (iso: string) => whenText(iso, timeZone && timeFormat ? { timeZone, timeFormat } : undefined),
    [timeZone, timeFormat],
  );
}

function missingClient(): never {
  throw new Error('useOrgWhen() outside <ClientProvider> and without a client');
}
