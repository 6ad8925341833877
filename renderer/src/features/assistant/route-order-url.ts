import type { LocalDate } from '../../../../core/time';

/**
 * The board with one provider's route panel open: `#/board?route=<providerId>&date=2026-11-24`. The route
 * sheets show the saved schedule; reordering a route is a board edit, so their "Order route" comes here.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function routeOrderHash(providerId: string, day: LocalDate): string {
  return `#/board?${new URLSearchParams({ route: providerId, date: day }).toString()}`;
}

export function parseRouteOrderHash(hash: string): { providerId: string; day: LocalDate } | null {
  if (!hash.startsWith('#/board?')) return null;
  const params = new URLSearchParams(hash.slice('#/board?'.length));
  const providerId = params.get('route');
  const day = params.get('date');
  return providerId && day && DATE.test(day) ? { providerId, day } : null;
}
