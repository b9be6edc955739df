import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import { Pool } from "pg";
import { VigilError } from "../errors.js";
import { migrateToLatest } from "./migrations.js";
import { PostgresBatchWriter } from "./postgres-batch-writer.js";
import type { Database } from "./schema.js";
import { SqlStore } from "./sql-store.js";
import { SqliteBatchWriter } from "./sqlite-batch-writer.js";
import type { Store } from "./store.js";
import { storeError } from "./store-error.js";

/** Where the store lives: a PostgreSQL URL, or else a SQLite file. */
export interface StoreOptions {
  /** `postgres://…` or `postgresql://…`; wins over `path` when set. */
  url?: string;
  /** SQLite file; defaults to `vigil.db` in the working directory. */
  path?: string;
}

/** The SQLite file used when neither a URL nor a path is given. */
export const DEFAULT_SQLITE_PATH = "vigil.db";

/**
 * How long a SQLite writer waits for another process's lock before failing: long enough
 * for a concurrent run's batch to commit, short enough that a stuck lock is reported.
 */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
/**
 * SQLite's page cache, in KiB. The default (2 MiB) holds a few hundred pages, so once the
 * observation id index outgrows it every insert of a random (content-hash) id reads its
 * leaf back from the OS; 256 MiB holds the indexes of a few million observations. Pages
 * are only cached as they are read, so a small store costs no more than before.
 */
const SQLITE_CACHE_KIB = 256 * 1024;
/**
 * WAL pages (4 KiB) written before SQLite copies them back into the database file. The
 * default, 1,000, checkpoints every 4 MiB: with random ids each batch dirties a page of
 * the id index a row, so checkpoints ran every few batches, copying and syncing the same
 * pages again and again. 1 GiB between checkpoints copies each page once per many
 * batches: once the store holds a few million observations, the id index is spread over
 * so many pages that each checkpoint's writes and sync grow with it (inserting 3,000,000
 * random ids: 31.6 µs a row at the end with 256 MiB, 25.6 with 1 GiB, 18 at the start).
 * Checkpoints move data that is already safe in the WAL, so this changes nothing about
 * durability; a crash only makes recovery replay a longer WAL, and the WAL file is cut
 * back to `SQLITE_WAL_SIZE_LIMIT_BYTES` after each checkpoint.
 */
const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 262_144;
/** Bytes the WAL file is cut back to after a checkpoint, so a big run leaves no big file. */
const SQLITE_WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/** How long to wait for a PostgreSQL connection before giving up, so a black-holed host fails. */
const PG_CONNECT_TIMEOUT_MS = 10_000;
/** Connections per store; a CLI run or worker needs few, and servers cap the total. */
const PG_POOL_SIZE = 10;

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/**
 * Opens the store and brings its schema up to date.
 *
 * @example
 * ```ts
 * const store = await openStore(storeOptionsFromEnv(process.env, flags.db));
 * try { console.log(await store.counts()); } finally { await store.close(); }
 * ```
 * @throws VigilError `VIGIL_ERR_STORE_CONNECT` if the database cannot be reached or
 *   opened, `VIGIL_ERR_STORE_MIGRATE` if a migration fails, `VIGIL_ERR_CONFIG_INVALID`
 *   for a URL that is not PostgreSQL's.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  if (options.url !== undefined) return openPostgres(options.url);
  return openSqlite(options.path ?? DEFAULT_SQLITE_PATH);
}

/**
 * Store options from the environment: `VIGIL_DATABASE_URL` (a PostgreSQL URL) when set,
 * else the SQLite file `explicitPath` (else the default file). The shared database of a
 * deployment is configured once in the environment, so it wins over a per-command path.
 */
export function storeOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  explicitPath?: string,
): StoreOptions {
  const url = env.VIGIL_DATABASE_URL?.trim();
  if (url !== undefined && url !== "") return { url };
  return explicitPath === undefined ? {} : { path: explicitPath };
}

async function openPostgres(url: string): Promise<Store> {
  if (!POSTGRES_URL.test(url)) {
    // Only the scheme is echoed: the rest may hold a password.
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? "(none)";
    throw new VigilError(
      "VIGIL_ERR_CONFIG_INVALID",
      `unsupported database URL scheme ${scheme}; use postgres:// or postgresql://`,
    );
  }
  const location = redactedUrl(url);
  const pool = new Pool({
    connectionString: url,
    max: PG_POOL_SIZE,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
  });
  // An idle connection that dies (server restart, network cut) emits `error` on the pool;
  // unhandled, that would crash the process. The next query reports it instead.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  let schema: string | null;
  try {
    const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
      db,
    );
    schema = result.rows[0]?.schema ?? null;
  } catch (err) {
    await db.destroy().catch(() => {});
    // pg's messages name the host and user, never the password.
    throw storeError("VIGIL_ERR_STORE_CONNECT", `cannot connect to PostgreSQL at ${location}`, err);
  }
  if (schema === null) {
    await db.destroy().catch(() => {});
    throw new VigilError(
      "VIGIL_ERR_STORE_CONNECT",
      `none of the schemas on the search_path of ${location} exists; create one or fix search_path`,
    );
  }

  try {
    await migrateToLatest(db, "postgres", location, schema);
  } catch (err) {
    await db.destroy().catch(() => {});
    throw err;
  }
  return new SqlStore(db, { engine: "postgres", location, writer: new PostgresBatchWriter() });
}

async function openSqlite(path: string): Promise<Store> {
  const inMemory = path === ":memory:";
  const location = inMemory ? path : resolve(path);
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(location), { recursive: true });
    sqlite = new SqliteDatabase(location, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    // WAL lets readers (dashboard, API) work while a run writes. NORMAL syncs the WAL at
    // checkpoints, not at each commit: a committed batch survives the process crashing
    // (it is in the WAL, which the OS holds), and a power cut can take the last batches
    // but never corrupts the file (SQLite's documented guarantee for WAL + NORMAL); a
    // re-run restores those batches, since re-ingest is idempotent and cursors are stored
    // with their batch. FULL would add an fsync to every batch's commit.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma(`cache_size = ${-SQLITE_CACHE_KIB}`);
    sqlite.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
    sqlite.pragma(`journal_size_limit = ${SQLITE_WAL_SIZE_LIMIT_BYTES}`);
  } catch (err) {
    sqlite?.close();
    throw storeError("VIGIL_ERR_STORE_CONNECT", `cannot open SQLite database ${location}`, err);
  }

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db, "sqlite", location);
  } catch (err) {
    await db.destroy().catch(() => {});
    throw err;
  }
  return new SqlStore(db, {
    engine: "sqlite",
    location,
    writer: new SqliteBatchWriter(sqlite),
  });
}

/** The URL with any password removed (from the user part and from `?password=`). */
function redactedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Unparseable: showing any of it could show the password.
    return "(unparseable PostgreSQL URL)";
  }
  parsed.password = "";
  // Deleting re-encodes the whole query, so only touch it when there is something to hide.
  if (parsed.searchParams.has("password")) parsed.searchParams.delete("password");
  return parsed.toString();
}
