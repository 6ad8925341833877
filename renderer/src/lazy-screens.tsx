import { lazy, type ComponentType } from 'react';

/**
 * The screens other than the board, each in its own chunk (issue 21, first paint): the console opens on
 * the board, so the bundle the page evaluates before its first paint holds the board and what every
 * screen shares, and a screen's own code is fetched the first time it is opened (a local file or the
 * web host, no network). `App.tsx` shows them inside one `Suspense`; a chunk that cannot load is a
 * screen error like any other (`ScreenErrorBoundary`).
 */

/** `lazy` of a named export (React's `lazy` wants a default export). */
function screen<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}

export const BookingsScreen = screen(async () => (await import('./features/bookings/BookingsScreen.tsx')).BookingsScreen);
export const RouteSheetsScreen = screen(async () => (await import('./features/route-sheets/RouteSheetsScreen.tsx')).RouteSheetsScreen);
export const ProvidersScreen = screen(async () => (await import('./features/providers/ProvidersScreen.tsx')).ProvidersScreen);
export const CustomersScreen = screen(async () => (await import('./features/customers/CustomersScreen.tsx')).CustomersScreen);
export const ServicesScreen = screen(async () => (await import('./features/services/ServicesScreen.tsx')).ServicesScreen);
export const ImportExportScreen = screen(async () => (await import('./features/import/ImportExportScreen.tsx')).ImportExportScreen);
export const SettingsScreen = screen(async () => (await import('./features/settings/SettingsScreen.tsx')).SettingsScreen);
export const TeamScreen = screen(async () => (await import('./features/team/TeamScreen.tsx')).TeamScreen);
