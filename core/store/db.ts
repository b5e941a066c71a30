import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import pg from 'pg';

export interface QueryResult<T> {
  rows: T[];
}

/** Anything that runs parameterised SQL: the database or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters; returns the last statement's rows. */
  script<T = Record<string, unknown>>(sql: string): Promise<QueryResult<T>>;
}

/**
 * The one database seam of Jembatan: PGlite (embedded, default) or a PostgreSQL server. Both speak the
 * same SQL with `$1` parameters; everything above this file is written once for both.
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Human-readable location (data dir or server address without credentials). */
  readonly location: string;
  /** Runs `fn` in one transaction: all of it is committed or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection (session settings, advisory locks). */
  withSession<T>(fn: (session: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(location: string, cause: unknown) {
    super(
      `Cannot reach the database at ${location}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Check DATABASE_URL and that the server is running, or unset DATABASE_URL to use the embedded store.',
      { cause },
    );
    this.name = 'DatabaseUnavailableError';
  }
}

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  private constructor(
    private readonly pglite: PGlite,
    readonly location: string,
  ) {}

  /** `dataDir` undefined = in memory (tests). */
  static async open(dataDir: string | undefined): Promise<PgliteDb> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create({ dataDir, extensions: { vector } });
    return new PgliteDb(pglite, dataDir ?? 'memory://');
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    const result = await this.pglite.query<T>(sql, params);
    return { rows: result.rows };
  }

  async script<T>(sql: string): Promise<QueryResult<T>> {
    const results = await this.pglite.exec(sql);
    return { rows: (results[results.length - 1]?.rows ?? []) as T[] };
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) =>
      fn({
        query: async <R>(sql: string, params: unknown[] = []) => ({ rows: (await tx.query<R>(sql, params)).rows }),
        script: async <R>(sql: string) => {
          const results = await tx.exec(sql);
          return { rows: (results[results.length - 1]?.rows ?? []) as R[] };
        },
      }),
    );
  }

  withSession<T>(fn: (session: Queryable) => Promise<T>): Promise<T> {
    // PGlite is a single connection: every call is already on the same session.
    return fn(this);
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  static async open(connectionString: string): Promise<PostgresDb> {
    let url: URL;
    try {
      url = new URL(connectionString);
    } catch {
      // Never echo the string itself: it may carry a password.
      throw new DatabaseUnavailableError('DATABASE_URL (not a valid URL)', new Error('check the host, the port and %-encoding of the password'));
    }
    const location = `${url.protocol}//${url.hostname}:${url.port || 5432}${url.pathname}`;
    const pool = new pg.Pool({ connectionString, max: 8, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {
      /* idle client errors surface on the next query */
    });
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(location, error);
    }
    return new PostgresDb(pool, location);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    const result = await this.pool.query(sql, params);
    return { rows: result.rows as T[] };
  }

  async script<T>(sql: string): Promise<QueryResult<T>> {
    return this.withSession((session) => session.script<T>(sql));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.withSession(async (session) => {
      await session.query('BEGIN');
      try {
        const result = await fn(session);
        await session.query('COMMIT');
        return result;
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async withSession<T>(fn: (session: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn({
        query: async <R>(sql: string, params: unknown[] = []) => ({ rows: (await client.query(sql, params)).rows as R[] }),
        script: async <R>(sql: string) => {
          const result = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(result) ? result[result.length - 1] : result;
          return { rows: (last?.rows ?? []) as R[] };
        },
      });
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export type DbTarget = { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgres'; url: string };

export function openDb(target: DbTarget): Promise<Db> {
  return target.kind === 'pglite' ? PgliteDb.open(target.dataDir) : PostgresDb.open(target.url);
}
