/**
 * One node at a time (issue 23, 3): a PostgreSQL session advisory lock around a background job. A node
 * that finds the lock taken skips this round; a node that dies holding it loses its session, and so the
 * lock, at once.
 */
import type pg from 'pg';

/** The lock key of a job: the same text gives the same bigint on every node. */
export const JOB_LOCK_SQL = "hashtextextended('crewline-job:' || $1, 0)";

export async function withAdvisoryLock<T>(pool: pg.Pool, job: string, fn: () => Promise<T>): Promise<T | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${JOB_LOCK_SQL}) AS locked`, [job]);
    if (!rows[0]?.locked) return null;
    try {
      return await fn();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${JOB_LOCK_SQL})`, [job]);
    }
  } finally {
    client.release();
  }
}
