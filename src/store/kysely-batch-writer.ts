import type { Insertable, Transaction } from "kysely";
import type { BatchWriter, BulkRow, KeyedTable } from "./batch-writer.js";
import type { Database } from "./schema.js";

/**
 * Rows per multi-row INSERT. A finding row binds 17 parameters, so a full statement binds
 * 3,400: far below SQLite's limit of 32,766 and PostgreSQL's 65,535, and small enough that
 * one huge batch never builds one huge statement.
 */
export const MAX_ROWS_PER_INSERT = 200;

/**
 * The portable writer: multi-row INSERTs built by Kysely, for a store given a Kysely
 * instance without an engine fast path. Slower (each statement is compiled, and SQLite
 * prepares it anew) but needs nothing beyond the query layer.
 */
export class KyselyBatchWriter implements BatchWriter {
  /**
   * Both engines report only the rows really inserted under `ON CONFLICT DO NOTHING`
   * (SQLite's `changes()`, PostgreSQL's row count), so no read-before-write is needed.
   */
  async insertNew<T extends KeyedTable>(
    trx: Transaction<Database>,
    table: T,
    rows: readonly BulkRow<T>[],
  ): Promise<number> {
    let added = 0;
    for (const chunk of chunks(rows as readonly Insertable<Database[T]>[])) {
      const result = await trx
        .insertInto(table)
        .values(chunk)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return added;
  }

  async insertProblems(
    trx: Transaction<Database>,
    rows: readonly BulkRow<"problems">[],
  ): Promise<void> {
    for (const chunk of chunks(rows)) await trx.insertInto("problems").values(chunk).execute();
  }
}

/** `rows` in slices of at most `MAX_ROWS_PER_INSERT`. */
export function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += MAX_ROWS_PER_INSERT) {
    yield rows.slice(start, start + MAX_ROWS_PER_INSERT);
  }
}
