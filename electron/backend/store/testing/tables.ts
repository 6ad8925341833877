import type Database from 'better-sqlite3';

/** Every read table, each in key order: for comparing two stores, or a store before/after a rebuild. */
export function dumpReadTables(db: Database.Database) {
  const dump = (sql: string) => db.prepare(sql).all();
  return {
    providers: dump('SELECT * FROM providers ORDER BY id'),
    customers: dump('SELECT * FROM customers ORDER BY id'),
    services: dump('SELECT * FROM services ORDER BY id'),
    bookings: dump('SELECT * FROM bookings ORDER BY id'),
    booking_assignees: dump('SELECT * FROM booking_assignees ORDER BY provider_id, start_ms, booking_id'),
    archive_bookings: dump('SELECT * FROM archive_bookings ORDER BY id'),
  };
}
