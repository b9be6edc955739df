import { access } from "node:fs/promises";
import type { Watchlist } from "../model/index.js";
import { openStore, type Store, type StoreOptions } from "../store/index.js";
import { loadWatchlist } from "../watchlist/index.js";
import type { Io } from "./output.js";

/** Options every command takes (declared once in main.ts). */
export interface GlobalOptions {
  config: string;
  db?: string;
  verbose?: boolean;
}

/** What a command needs from the outside world, passed in. */
export interface CliContext {
  io: Io;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  now: () => Date;
  /** Set by a command that finished but wants a non-zero exit (e.g. items skipped). */
  exitCode?: number;
}

/**
 * Where the store is: `--db` (a SQLite file or a postgres:// URL) wins, then
 * `VIGIL_DATABASE_URL`, then `vigil.db` in the working directory.
 */
export function resolveStoreOptions(
  db: string | undefined,
  env: CliContext["env"],
  fallbackPath = "vigil.db",
): StoreOptions {
  if (db !== undefined && db !== "")
    return /^postgres(ql)?:\/\//i.test(db) ? { url: db } : { path: db };
  const url = env.VIGIL_DATABASE_URL?.trim();
  if (url) return { url };
  return { path: fallbackPath };
}

/** Whether a file exists (the watchlist, before `init` overwrites or `import` extends it). */
export function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function withStore<T>(
  options: StoreOptions,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function loadConfig(global: GlobalOptions): Promise<Watchlist> {
  return loadWatchlist(global.config);
}
