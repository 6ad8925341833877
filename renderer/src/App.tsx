import { useEffect, useMemo, useRef, useState } from 'react';
import { createClient } from './api/client.ts';
import type { ConsoleClient } from './api/types.ts';
import { request } from './features/forms/backend.ts';
import { consoleClock } from './clock.ts';
import { Icon } from './components/Icon.tsx';
import { layoutStore, useLayout } from './layout.ts';
import { ClientProvider } from './components/ClientContext.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import { Board } from './features/board/Board.tsx';
import { BookingsScreen } from './features/bookings/BookingsScreen.tsx';
import { CustomersScreen } from './features/customers/CustomersScreen.tsx';
import { ImportExportScreen } from './features/import/ImportExportScreen.tsx';
import { ProvidersScreen } from './features/providers/ProvidersScreen.tsx';
import { ScreenErrorBoundary } from './components/ScreenErrorBoundary.tsx';
import { RouteSheetsScreen } from './features/route-sheets/RouteSheetsScreen.tsx';
import { ServicesScreen } from './features/services/ServicesScreen.tsx';
import { SettingsScreen } from './features/settings/SettingsScreen.tsx';
import { SyncProvider } from './features/sync/SyncContext.tsx';
import { SyncHeader } from './features/sync/SyncHeader.tsx';
import { TeamScreen } from './features/team/TeamScreen.tsx';
import { DemoBadge } from './features/first-run/DemoBadge.tsx';
import { FirstRunScreen } from './features/first-run/FirstRunScreen.tsx';
import { useWorkspaceStatus, workspaceStatus } from './features/first-run/workspace-status.ts';
import { UpdateBanner } from './features/updates/UpdateBanner.tsx';

/** `mark`: what the folded navigation shows (the label stays the link's name and tooltip). */
const SCREENS = [
  { id: 'board', label: 'Board', mark: 'Bd' },
  { id: 'bookings', label: 'Bookings', mark: 'Bk' },
  { id: 'route-sheets', label: 'Route sheets', mark: 'RS' },
  { id: 'providers', label: 'Providers', mark: 'Pr' },
  { id: 'customers', label: 'Customers', mark: 'Cu' },
  { id: 'services', label: 'Services', mark: 'Sv' },
  { id: 'import', label: 'Import / export', mark: 'IE' },
  { id: 'settings', label: 'Settings', mark: 'St' },
  { id: 'team', label: 'Team', mark: 'Tm' },
] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

/**
 * The screen lives in the hash (`#/providers`) so the query string (the web host's token) stays untouched;
 * a screen may keep its own options after a `?` (`#/route-sheets?date=2026-11-23`).
 */
function screenFromHash(): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return SCREENS.some((s) => s.id === id) ? (id as ScreenId) : 'board';
}

/**
 * Screens read "today" as they mount, so they wait for the console's clock to follow the backend's (one
 * local round trip). A backend that cannot answer leaves the browser's clock in charge: the screens then
 * show the backend's own error.
 */
function useClockFollowed(client: ConsoleClient): boolean {
  const [followed, setFollowed] = useState(false);
  useEffect(() => {
    let live = true;
    const sentAt = Date.now();
    void request(client, 'app:getInfo', {})
      .then((r) => {
        if (r.ok) consoleClock.follow(r.value.now, sentAt, Date.now());
      })
      .finally(() => {
        if (live) setFollowed(true);
      });
    return () => {
      live = false;
    };
  }, [client]);
  return followed;
}

export function App() {
  const client = useMemo(() => createClient(), []);
  const clockFollowed = useClockFollowed(client);
  const status = useWorkspaceStatus();
  useEffect(() => {
    void workspaceStatus.load(client);
    // A sync can bring the documents of a newer Crewline (read-only from then on) or end the demo.
    const reload = () => void workspaceStatus.load(client);
    const offs = [client.on('roster:changed', reload), client.on('sync:statusChanged', reload)];
    return () => offs.forEach((off) => off());
  }, [client]);
  const updateRequired = status.state === 'unknown' ? null : status.updateRequired;
  const layout = useLayout();
  const [screen, setScreen] = useState<ScreenId>(screenFromHash);
  // Once shown, the board stays mounted (hidden) behind the other screens: going back to it is a show,
  // not a mount of React's tree and FullCalendar's week (issue 21). It stands down while hidden (Board.tsx).
  const boardKept = useRef(false);
  if (screen === 'board') boardKept.current = true;
  const [openRequest, setOpenRequest] = useState<{ id: string; seq: number } | null>(null);
  const openBooking = (id: string) => {
    setOpenRequest((prev) => ({ id, seq: (prev?.seq ?? 0) + 1 }));
    window.location.hash = '#/board';
  };
  useEffect(() => {
    const onHash = () => setScreen(screenFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // Ctrl+P and the menu's "Print route sheets…" from any other screen: today's sheets (the board and the
  // route sheets screen handle them themselves, for the board's date and for printing).
  const screenRef = useRef(screen);
  screenRef.current = screen;
  useEffect(() => {
    const handles = () => screenRef.current !== 'board' && screenRef.current !== 'route-sheets';
    const onKey = (e: KeyboardEvent) => {
      if (handles() && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        window.location.hash = '#/route-sheets';
      }
    };
    window.addEventListener('keydown', onKey);
    const off = client.on('app:menuInvoked', ({ action }) => {
      if (action === 'printRouteSheets' && handles()) window.location.hash = '#/route-sheets';
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  }, [client]);

  return (
    <ClientProvider client={client}>
      <ToastProvider>
        <SyncProvider client={client}>
          {status.state === 'empty' ? (
            <main className="cl-first-run">
              <FirstRunScreen client={client} />
            </main>
          ) : (
          <div className={`cl-app${layout.navCollapsed ? ' is-nav-collapsed' : ''}`}>
            <nav className="cl-nav" aria-label="Main">
              <div className="cl-nav__brand">
                <span className="cl-nav__label">Crewline</span>
                <button
                  type="button"
                  className="cl-nav__toggle"
                  data-action="toggle-nav"
                  aria-expanded={!layout.navCollapsed}
                  aria-label={layout.navCollapsed ? 'Expand navigation' : 'Collapse navigation'}
                  title={layout.navCollapsed ? 'Expand navigation' : 'Collapse navigation'}
                  onClick={() => layoutStore.set({ navCollapsed: !layout.navCollapsed })}
                >
                  <Icon name={layout.navCollapsed ? 'chevronRight' : 'chevronLeft'} />
                </button>
              </div>
              <DemoBadge client={client} collapsed={layout.navCollapsed} />
              {SCREENS.map((s) => (
                <a
                  key={s.id}
                  href={`#/${s.id}`}
                  className={`cl-nav__link${screen === s.id ? ' is-active' : ''}`}
                  aria-current={screen === s.id ? 'page' : undefined}
                  title={layout.navCollapsed ? s.label : undefined}
                  data-nav={s.id}
                >
                  <span className="cl-nav__initial" aria-hidden="true">
                    {s.mark}
                  </span>
                  {/* Folded, the name stays in the text for screen readers: an aria-label over the visible mark
                      would be a name that does not contain what is seen (axe: label-content-name-mismatch). */}
                  <span className={layout.navCollapsed ? 'cl-nav__label adm-sr-only' : 'cl-nav__label'}>{s.label}</span>
                </a>
              ))}
              {/* On every screen: whether changes reach the others, who else is online, the way into Sync. */}
              <div className="cl-nav__sync">
                <SyncHeader compact={layout.navCollapsed} />
              </div>
            </nav>
            <main className="cl-main">
              {updateRequired ? (
                <p className="cl-update-banner" role="alert" data-update-required="">
                  {updateRequired}
                </p>
              ) : null}
              <UpdateBanner client={client} />
              {clockFollowed && status.state !== 'unknown' ? <ScreenErrorBoundary screen={screen}>
                {screen === 'bookings' ? <BookingsScreen client={client} onOpenBooking={openBooking} /> : null}
                {screen === 'route-sheets' ? <RouteSheetsScreen client={client} /> : null}
                {screen === 'providers' ? <ProvidersScreen client={client} /> : null}
                {screen === 'customers' ? <CustomersScreen client={client} /> : null}
                {screen === 'services' ? <ServicesScreen client={client} /> : null}
                {screen === 'import' ? <ImportExportScreen client={client} /> : null}
                {screen === 'settings' ? <SettingsScreen client={client} /> : null}
                {screen === 'team' ? <TeamScreen client={client} /> : null}
                {/* Last: the screen on show comes first in the document, before the hidden board's rows and cards. */}
                {boardKept.current ? (
                  <div className="cl-screen-kept" data-kept-hidden={screen === 'board' ? undefined : ''} inert={screen !== 'board'}>
                    <Board openRequest={openRequest} visible={screen === 'board'} />
                  </div>
                ) : null}
              </ScreenErrorBoundary> : null}
            </main>
          </div>
          )}
        </SyncProvider>
      </ToastProvider>
    </ClientProvider>
  );
}
