export {
  DEFAULT_SQLITE_PATH,
  openStore,
  type StoreOptions,
  storeOptionsFromEnv,
} from "./open-store.js";
export type { Database } from "./schema.js";
export {
  DEFAULT_FINDINGS_LIMIT,
  DEFAULT_RUNS_LIMIT,
  MAX_CURSOR_POSITION_CHARS,
  MAX_CURSOR_SOURCE_CHARS,
  MAX_FINDINGS_LIMIT,
  MAX_RUNS_LIMIT,
  SqlStore,
  type SqlStoreOptions,
} from "./sql-store.js";
export type * from "./store.js";
