import type { SyncState } from '../../../../core/sync/client-status.ts';

/** 16×16 paths: a cloud with a check, arrows, a slash, dots, an exclamation mark; inline (the CSP allows nothing remote). */
const CLOUD = 'M4.5 13A3.5 3.5 0 0 1 4 6.04 4.5 4.5 0 0 1 12.6 6.5 3.25 3.25 0 0 1 12 13z';
const GLYPHS: Record<SyncState | 'none', string> = {
  synced: 'M5.6 9.2 7.3 10.9 10.6 7.4',
  syncing: 'M5.5 9.5a2.6 2.6 0 0 1 4.6-1.4M10.5 8.5a2.6 2.6 0 0 1-4.6 1.4M10.3 6.6v1.6H8.7M5.7 11.4V9.8h1.6',
  connecting: 'M5.5 9.5h.01M8 9.5h.01M10.5 9.5h.01',
  offline: 'M2.5 2.5l11 11',
  'signed-out': 'M6 9.5h4',
  error: 'M8 7v2.4M8 11.2h.01',
  none: '',
};

export function SyncStateIcon({ state }: { state: SyncState | null }) {
  const key = state ?? 'none';
  return (
    <svg className={`sync-icon sync-icon--${key}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d={CLOUD} fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
      {GLYPHS[key] ? <path d={GLYPHS[key]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" /> : null}
    </svg>
  );
}
