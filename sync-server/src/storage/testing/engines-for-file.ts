import { afterAll, beforeAll } from 'vitest';
import { startPostgres, startRedis, type TestPostgres, type TestRedis } from './engines';

export interface EnginesForFile {
  readonly postgres: TestPostgres;
  readonly redis: TestRedis;
}

/**
 * One throwaway PostgreSQL and one Redis for a whole test file: started before its first test, stopped
 * after its last. Read them in tests and hooks; before the start they do not exist yet, and say so.
 */
export function postgresAndRedisForFile(): EnginesForFile {
  let postgres: TestPostgres | undefined;
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });
  const started = <T>(engine: T | undefined, name: string): T => {
    if (!engine) throw new Error(`${name} is not started yet: read it inside a test or a hook`);
    return engine;
  };
  return {
    get postgres() {
      return started(postgres, 'PostgreSQL');
    },
    get redis() {
      return started(redis, 'Redis');
    },
  };
}
