export type * from "./notice-store.js";
export {
  DEFAULT_SQLITE_PATH,
  openStore,
  type StoreOptions,
  storeOptionsFromEnv,
} from "./open-store.js";
export type { Database } from "./schema.js";
export {
  MAX_CORRESPONDENCE_RECIPIENTS,
  MAX_CORRESPONDENT_DOMAINS,
  MAX_CORRESPONDENTS_READ,
  mergeCorrespondent,
} from "./sql-correspondence.js";
export { DEFAULT_NOTICES_LIMIT, MAX_NOTICES_LIMIT, SqlNoticeStore } from "./sql-notice-store.js";
export {
  DEFAULT_FINDINGS_LIMIT,
  DEFAULT_RUNS_LIMIT,
  MAX_CURSOR_POSITION_CHARS,
  MAX_CURSOR_SOURCE_CHARS,
  MAX_FINDINGS_LIMIT,
  MAX_OBSERVATIONS_PAGE,
  MAX_RUNS_LIMIT,
  SqlStore,
  type SqlStoreOptions,
} from "./sql-store.js";
export type * from "./store.js";
