import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../core/store/db.js';
import { ListingStore } from '../../core/store/listing-store.js';

/** Admin connection for creating throw-away databases on the test PostgreSQL server. */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type StoreKind = 'pglite' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['pglite', 'postgres'];

export interface TestDatabase {
  kind: StoreKind;
  /** DATABASE_URL for child processes (postgres) or undefined (pglite: use dataDir). */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database on the test server; dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<TestDatabase & { url: string }> {
  const name = `jembatan_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Opens an empty, migrated store of the given kind (PGlite in memory, or a fresh server database). */
export async function openTestStore(kind: StoreKind): Promise<{ store: ListingStore; db: Db; cleanup(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDb({ kind: 'pglite', dataDir: undefined });
    const store = await ListingStore.open(db);
    return { store, db, cleanup: () => store.close() };
  }
  const database = await createPostgresDatabase();
  const db = await openDb({ kind: 'postgres', url: database.url });
  const store = await ListingStore.open(db);
  return {
    store,
    db,
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
}
