import { useEffect, useMemo, useState } from 'react';
import { createClient } from './api/client.ts';
import { ClientProvider } from './components/ClientContext.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import { Board } from './features/board/Board.tsx';
import { BookingsScreen } from './features/bookings/BookingsScreen.tsx';
import { CustomersScreen } from './features/customers/CustomersScreen.tsx';
import { ProvidersScreen } from './features/providers/ProvidersScreen.tsx';
import { ServicesScreen } from './features/services/ServicesScreen.tsx';
import { SettingsScreen } from './features/settings/SettingsScreen.tsx';

const SCREENS = [
  { id: 'board', label: 'Board' },
  { id: 'bookings', label: 'Bookings' },
  { id: 'providers', label: 'Providers' },
  { id: 'customers', label: 'Customers' },
  { id: 'services', label: 'Services' },
  { id: 'settings', label: 'Settings' },
] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

/** The screen lives in the hash (`#/providers`) so the query string (the web host's token) stays untouched. */
function screenFromHash(): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return SCREENS.some((s) => s.id === id) ? (id as ScreenId) : 'board';
}

export function App() {
  const client = useMemo(() => createClient(), []);
  const [screen, setScreen] = useState<ScreenId>(screenFromHash);
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

  return (
    <ClientProvider client={client}>
      <ToastProvider>
        <div className="cl-app">
          <nav className="cl-nav" aria-label="Main">
            <div className="cl-nav__brand">Crewline</div>
            {SCREENS.map((s) => (
              <a
                key={s.id}
                href={`#/${s.id}`}
                className={`cl-nav__link${screen === s.id ? ' is-active' : ''}`}
                aria-current={screen === s.id ? 'page' : undefined}
                data-nav={s.id}
              >
                {s.label}
              </a>
            ))}
          </nav>
          <main className="cl-main">
            {screen === 'board' ? <Board openRequest={openRequest} /> : null}
            {screen === 'bookings' ? <BookingsScreen client={client} onOpenBooking={openBooking} /> : null}
            {screen === 'providers' ? <ProvidersScreen client={client} /> : null}
            {screen === 'customers' ? <CustomersScreen client={client} /> : null}
            {screen === 'services' ? <ServicesScreen client={client} /> : null}
            {screen === 'settings' ? <SettingsScreen client={client} /> : null}
          </main>
        </div>
      </ToastProvider>
    </ClientProvider>
  );
}
