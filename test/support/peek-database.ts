import { existsSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";

/**
 * Reads a SQLite file another process is writing, without disturbing the writer (WAL
 * allows a reader beside it). Gives `fallback` when the file is not there yet, not
 * migrated yet, or locked for a moment.
 */
export function peekDatabase<T>(
  path: string,
  read: (db: SqliteDatabase.Database) => T,
  fallback: T,
): T {
  if (!existsSync(path)) return fallback;
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    return read(db);
  } catch {
    return fallback;
  } finally {
    db?.close();
  }
}
