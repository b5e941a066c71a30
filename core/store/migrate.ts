import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type { Db } from './db.js';

const MIGRATIONS = fileURLToPath(new URL('./migrations/*.sql', import.meta.url));
/** Arbitrary constant: serialises concurrent `jembatan` processes migrating the same server. */
const MIGRATION_LOCK = 726_482_001;

/**
 * Brings the schema to the newest version with postgrator's numbered SQL files. On a PostgreSQL server an
 * advisory lock makes several processes starting at once safe.
 */
export async function migrate(db: Db): Promise<string[]> {
  return db.withSession(async (session) => {
    if (db.kind === 'postgres') await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const postgrator = new Postgrator({
        migrationPattern: MIGRATIONS,
        driver: 'pg',
        schemaTable: 'schema_migrations',
        execQuery: async (query: string) => session.script(query),
      });
      const applied = await postgrator.migrate();
      return applied.map((migration) => migration.filename);
    } finally {
      if (db.kind === 'postgres') await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}
