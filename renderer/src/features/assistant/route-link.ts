import { useEffect } from 'react';
import type { LocalDate } from '../../../../core/time';
import type { BoardStore } from '../board/board-store.ts';
import { rememberBoardPlace } from '../board/board-place.ts';

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

/** From another screen: the board opens on that day (it remounts there) with the route panel open. */
export function openRouteOrder(providerId: string, day: LocalDate): void {
  rememberBoardPlace({ view: 'resourceTimelineDay', firstDay: day, lastDay: day });
  window.location.hash = routeOrderHash(providerId, day);
}

/** On the board: opens the panel a link asks for, then drops the link so a reload or Back does not reopen it. */
export function useRouteOrderLink(store: BoardStore): void {
  useEffect(() => {
    const follow = () => {
      const link = parseRouteOrderHash(window.location.hash);
      if (!link) return;
      store.goRange(link.day, link.day);
      store.openAssistant({ kind: 'route', providerId: link.providerId, day: link.day });
      window.history.replaceState(window.history.state, '', '#/board');
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [store]);
}
