import type { Insertable, Transaction } from "kysely";
import type { Database } from "./schema.js";

/** Tables whose rows have a natural key, so a repeated insert is skipped. */
export type KeyedTable = "observations" | "findings" | "cases" | "case_findings";

/** Tables a batch writes row by row in bulk: the keyed ones and the run's problems. */
export type BulkTable = KeyedTable | "problems";

/** A row of a bulk table as the store builds it (problems get their id from the engine). */
export type BulkRow<T extends BulkTable> = T extends "problems"
  ? Omit<Insertable<Database["problems"]>, "id">
  : Insertable<Database[T]>;

/**
 * The columns of each bulk table, in the order the fast writers bind them. Every column
 * a row carries must be listed (checked below), or the fast paths would drop it.
 */
export const BULK_COLUMNS = {
  observations: ["id", "kind", "value", "data", "content_hash", "source", "observed_at", "run_id"],
  findings: [
    "id",
    "kind",
    "subject",
    "target_type",
    "target_id",
    "target_name",
    "score",
    "severity",
    "reasons",
    "techniques",
    "evidence",
    "detector",
    "detector_version",
    "observed_at",
    "observation_ids",
    "created_at",
    "run_id",
  ],
  cases: ["id", "title", "grouping", "key", "actor", "confidence", "rationale", "created_at"],
  case_findings: ["case_id", "finding_id"],
  problems: ["run_id", "item", "code", "message", "at"],
} as const satisfies { [T in BulkTable]: readonly (keyof BulkRow<T> & string)[] };

/** Columns a row type has but `BULK_COLUMNS` leaves out; `never` when the lists are whole. */
type UnlistedColumns = {
  [T in BulkTable]: Exclude<keyof BulkRow<T>, (typeof BULK_COLUMNS)[T][number]>;
}[BulkTable];
/** Fails to compile when a column is added to the schema but not to `BULK_COLUMNS`. */
export const BULK_COLUMNS_ARE_WHOLE: [UnlistedColumns] extends [never] ? true : never = true;

/**
 * Writes the bulk rows of one batch inside the transaction the store has opened. Each
 * engine has its own fast path (see `SqliteBatchWriter`, `PostgresBatchWriter`); the
 * transaction, its order and its error handling stay in `SqlStore`, so every engine keeps
 * the same guarantees: all of a batch or none of it, a repeated row skipped by its key.
 */
export interface BatchWriter {
  /** Inserts rows whose key is not stored yet and returns how many were new. */
  insertNew<T extends KeyedTable>(
    trx: Transaction<Database>,
    table: T,
    rows: readonly BulkRow<T>[],
  ): Promise<number>;
  /** Appends problems in the order given (their ids keep that order). */
  insertProblems(trx: Transaction<Database>, rows: readonly BulkRow<"problems">[]): Promise<void>;
}
