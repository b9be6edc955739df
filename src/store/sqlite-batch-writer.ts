import type SqliteDatabase from "better-sqlite3";
import type { Transaction } from "kysely";
import {
  type BatchWriter,
  BULK_COLUMNS,
  type BulkRow,
  type BulkTable,
  type KeyedTable,
} from "./batch-writer.js";
import type { Database } from "./schema.js";

/**
 * SQLite's fast path: one prepared statement per table, kept for the life of the store and
 * run once a row. better-sqlite3 is synchronous and a prepared INSERT inside a transaction
 * costs microseconds, whereas building, compiling and preparing a Kysely statement for
 * every 200 rows cost more than SQLite's own work.
 *
 * The statements run on the connection Kysely's transaction holds (SQLite has just the
 * one), so they are part of that transaction: Kysely's lock keeps any other query out
 * until it commits or rolls back, and a rollback takes these rows with it.
 */
export class SqliteBatchWriter implements BatchWriter {
  readonly #sqlite: SqliteDatabase.Database;
  readonly #statements = new Map<BulkTable, SqliteDatabase.Statement>();

  constructor(sqlite: SqliteDatabase.Database) {
    this.#sqlite = sqlite;
  }

  async insertNew<T extends KeyedTable>(
    _trx: Transaction<Database>,
    table: T,
    rows: readonly BulkRow<T>[],
  ): Promise<number> {
    return this.#run(table, rows);
  }

  async insertProblems(
    _trx: Transaction<Database>,
    rows: readonly BulkRow<"problems">[],
  ): Promise<void> {
    this.#run("problems", rows);
  }

  /** Inserts the rows with the table's statement; returns how many rows were added. */
  #run<T extends BulkTable>(table: T, rows: readonly BulkRow<T>[]): number {
    if (rows.length === 0) return 0;
    // Outside a transaction each row would commit on its own: a batch could be half
    // stored. Only a caller bypassing `SqlStore` could get here so; refuse it.
    if (!this.#sqlite.inTransaction) {
      throw new Error(`rows of ${table} must be written inside the batch's transaction`);
    }
    const statement = this.#statement(table);
    const columns: readonly string[] = BULK_COLUMNS[table];
    const values: unknown[] = new Array(columns.length);
    let added = 0;
    for (const row of rows) {
      const record = row as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) values[i] = record[columns[i] as string] ?? null;
      added += statement.run(values).changes;
    }
    return added;
  }

  #statement(table: BulkTable): SqliteDatabase.Statement {
    let statement = this.#statements.get(table);
    if (statement === undefined) {
      const columns = BULK_COLUMNS[table];
      // Problems have no natural key: each one is a new row, so no conflict clause.
      const conflict = table === "problems" ? "" : " on conflict do nothing";
      statement = this.#sqlite.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns
          .map(() => "?")
          .join(", ")})${conflict}`,
      );
      this.#statements.set(table, statement);
    }
    return statement;
  }
}
