import { useEffect } from 'react';
import type { LocalDate } from '../../../../core/time';
import type { BoardStore } from '../board/board-store.ts';
import { rememberBoardPlace } from '../board/board-place.ts';
import { parseRouteOrderHash, routeOrderHash } from './route-order-url.ts';

/** From another screen: the board opens on that day with the route panel open (`useRouteOrderLink`; the place for a board not mounted yet). */
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
