import type { LocalDate } from '../../../../core/time';
import { Button } from '../../components/Button.tsx';
import { openRouteOrder } from './route-link.ts';

/** The job panel's "Order Ana Silva's route", one per technician on the job. */
export function OrderRouteButtons({ people, day, onOrder }: { people: ReadonlyArray<{ id: string; name: string }>; day: LocalDate; onOrder: (providerId: string, day: LocalDate) => void }) {
  if (people.length === 0) return null;
  return (
    <div className="cl-row cl-route-links">
      {people.map((p) => (
        <Button key={p.id} small data-action="order-route" data-provider-id={p.id} title={`Reorder ${p.name}'s stops that day to cut travel (staged until Save)`} onClick={() => onOrder(p.id, day)}>
          Order {p.name}’s route
        </Button>
      ))}
    </div>
  );
}

/** The route sheets' per-technician "Order route": the board, that day, with the route panel open. */
export function RouteSheetOrderButtons({ sheets, date }: { sheets: ReadonlyArray<{ provider: { id: string; name: string } }>; date: LocalDate }) {
  if (sheets.length === 0) return null;
  return (
    <p className="rs-notice" data-notice="order-route">
      Shorten a route on the board (staged until Save):{' '}
      {sheets.map(({ provider }) => (
        <Button key={provider.id} small data-action="order-route" data-provider-id={provider.id} onClick={() => openRouteOrder(provider.id, date)}>
          Order route · {provider.name}
        </Button>
      ))}
    </p>
  );
}
