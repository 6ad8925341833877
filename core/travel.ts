import type { Booking, Coordinates, Customer, Settings } from './model';
import { distanceKm } from './route-sheets/geometry';

/**
 * Travel estimates (docs/design.md §9): the straight line between two places times the roads' detour
 * factor, driven at the organization's average speed. One rule for route sheets and the schedule
 * assistant, so a route the assistant calls short is short on the printed sheet too.
 */
export interface TravelModel {
  speedKmh: number;
  distanceFactor: number;
}

export const travelModelOf = (s: Pick<Settings, 'travelSpeedKmh' | 'travelDistanceFactor'>): TravelModel => ({
  speedKmh: s.travelSpeedKmh,
  distanceFactor: s.travelDistanceFactor,
});

/** Estimated road distance, km. */
export const roadKm = (a: Coordinates, b: Coordinates, model: TravelModel): number => distanceKm(a, b) * model.distanceFactor;

/** Minutes to drive `km` road kilometres. */
export const drivingMinutes = (km: number, model: TravelModel): number => (km / model.speedKmh) * 60;

/**
 * Where a job happens: its own coordinates, else the customer's when the job is at the customer's address
 * (an address typed without coordinates is somewhere we cannot place).
 */
export function jobCoordinates(booking: Pick<Booking, 'location'>, customer: Pick<Customer, 'address' | 'coordinates'> | undefined): Coordinates | null {
  if (booking.location.coordinates) return booking.location.coordinates;
  const atCustomer = !booking.location.address || booking.location.address === customer?.address;
  return atCustomer ? (customer?.coordinates ?? null) : null;
}
