import { CompiledQuery, type Transaction } from "kysely";
import {
  type BatchWriter,
  BULK_COLUMNS,
  type BulkRow,
  type BulkTable,
  type KeyedTable,
} from "./batch-writer.js";
import type { Database } from "./schema.js";

/**
 * Rows per statement. Each column goes over as one array parameter, so a statement's size
 * grows with its rows, not its parameter count; this bounds the text pg builds and the
 * server parses to a few megabytes for the largest rows a batch holds.
 */
export const MAX_ROWS_PER_ARRAY_INSERT = 5000;

/** The PostgreSQL type of each column's array (`text` unless listed). */
const COLUMN_TYPES: Readonly<Record<string, string>> = { score: "double precision" };

/**
 * PostgreSQL's fast path: one `INSERT … SELECT FROM unnest(…)` per table and chunk, with a
 * column per array parameter. The statement text is the same whatever the row count, so
 * nothing is compiled per row and the server plans one short statement; a multi-row
 * VALUES list would bind a parameter per cell and differ with every chunk size.
 */
export class PostgresBatchWriter implements BatchWriter {
  readonly #statements = new Map<BulkTable, string>();

  async insertNew<T extends KeyedTable>(
    trx: Transaction<Database>,
    table: T,
    rows: readonly BulkRow<T>[],
  ): Promise<number> {
    return this.#run(trx, table, rows);
  }

  async insertProblems(
    trx: Transaction<Database>,
    rows: readonly BulkRow<"problems">[],
  ): Promise<void> {
    await this.#run(trx, "problems", rows);
  }

  async #run<T extends BulkTable>(
    trx: Transaction<Database>,
    table: T,
    rows: readonly BulkRow<T>[],
  ): Promise<number> {
    const columns: readonly string[] = BULK_COLUMNS[table];
    const text = this.#statement(table);
    let added = 0;
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_ARRAY_INSERT) {
      const chunk = rows.slice(start, start + MAX_ROWS_PER_ARRAY_INSERT);
      const arrays = columns.map((column) =>
        chunk.map((row) => (row as Record<string, unknown>)[column] ?? null),
      );
      const result = await trx.executeQuery(CompiledQuery.raw(text, arrays));
      added += Number(result.numAffectedRows ?? 0n);
    }
    return added;
  }

  #statement(table: BulkTable): string {
    let text = this.#statements.get(table);
    if (text === undefined) {
      const columns = BULK_COLUMNS[table];
      const names = columns.map((c) => `"${c}"`).join(", ");
      const arrays = columns.map((c, i) => `$${i + 1}::${COLUMN_TYPES[c] ?? "text"}[]`).join(", ");
      text =
        table === "problems"
          ? // Problems have no key, and their bigserial ids must follow the order given:
            // WITH ORDINALITY numbers the rows and ORDER BY inserts them in that order.
            `insert into "problems" (${names}) select ${names} from unnest(${arrays}) with ordinality as u(${names}, "ord") order by "ord"`
          : `insert into "${table}" (${names}) select * from unnest(${arrays}) on conflict do nothing`;
      this.#statements.set(table, text);
    }
    return text;
  }
}
