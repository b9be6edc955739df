import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { Database } from "./schema.js";
import type { StoreEngine } from "./store.js";
import { storeError } from "./store-error.js";

/*
 * Migrations are code, not files read from disk, so they run the same from src/ under
 * vitest and from dist/ in the published package. Each one is written with Kysely's
 * schema builder and branches on the engine only where SQL really differs.
 * Never edit a migration that has shipped; add a new one (names sort in run order).
 */

/** The migrations for one engine, keyed by name in the order they run. */
export function storeMigrations(engine: StoreEngine): Record<string, Migration> {
  return {
    "0001_initial": {
      up: (db) => createInitialTables(db, engine),
      down: dropInitialTables,
    },
    "0002_source_cursors": {
      up: createSourceCursors,
      down: (db) => db.schema.dropTable("source_cursors").execute(),
    },
    "0003_notices": {
      up: (db) => createNoticeTables(db, engine),
      down: dropNoticeTables,
    },
    "0004_correspondents": {
      up: (db) => createCorrespondentTables(db, engine),
      down: dropCorrespondentTables,
    },
  };
}

/** Hands Kysely's `Migrator` the built-in migrations for one engine. */
export class StoreMigrationProvider implements MigrationProvider {
  readonly #engine: StoreEngine;

  constructor(engine: StoreEngine) {
    this.#engine = engine;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return storeMigrations(this.#engine);
  }
}

/**
 * Brings the database up to the latest schema.
 *
 * @param schema PostgreSQL only: the schema that holds Kysely's migration tables (the
 *   connection's current schema). Kysely otherwise decides they exist if *any* schema has
 *   them, which breaks databases that separate tenants or tests by `search_path`.
 * @throws VigilError `VIGIL_ERR_STORE_MIGRATE` naming the migration that failed.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  engine: StoreEngine,
  location: string,
  schema?: string,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StoreMigrationProvider(engine),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === "Error");
  const what =
    failed === undefined
      ? "cannot prepare the migrations"
      : `migration ${failed.migrationName} failed`;
  throw storeError("VIGIL_ERR_STORE_MIGRATE", `${what} on ${location}`, error);
}

async function createInitialTables(db: Kysely<unknown>, engine: StoreEngine): Promise<void> {
  await db.schema
    .createTable("observations")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("value", "text", (col) => col.notNull())
    .addColumn("data", "text", (col) => col.notNull())
    .addColumn("content_hash", "text", (col) => col.notNull())
    .addColumn("source", "text", (col) => col.notNull())
    .addColumn("observed_at", "text", (col) => col.notNull())
    .addColumn("run_id", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("observations_kind_value_idx")
    .on("observations")
    .columns(["kind", "value"])
    .execute();

  await db.schema
    .createTable("findings")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("subject", "text", (col) => col.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("target_name", "text")
    .addColumn("score", "double precision", (col) => col.notNull())
    .addColumn("severity", "text", (col) => col.notNull())
    .addColumn("reasons", "text", (col) => col.notNull())
    .addColumn("techniques", "text", (col) => col.notNull())
    .addColumn("evidence", "text", (col) => col.notNull())
    .addColumn("detector", "text", (col) => col.notNull())
    .addColumn("detector_version", "text", (col) => col.notNull())
    .addColumn("observed_at", "text", (col) => col.notNull())
    .addColumn("observation_ids", "text", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("run_id", "text", (col) => col.notNull())
    .execute();
  for (const column of ["kind", "observed_at", "score", "target_id"] as const) {
    await db.schema.createIndex(`findings_${column}_idx`).on("findings").column(column).execute();
  }

  await db.schema
    .createTable("cases")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("title", "text", (col) => col.notNull())
    .addColumn("grouping", "text", (col) => col.notNull())
    .addColumn("key", "text", (col) => col.notNull())
    .addColumn("actor", "text")
    .addColumn("confidence", "text")
    .addColumn("rationale", "text")
    .addColumn("created_at", "text", (col) => col.notNull())
    .execute();

  // Links must point at stored rows: a case naming a finding that was never stored is a
  // bug upstream, and failing its batch is better than listing a dangling id.
  await db.schema
    .createTable("case_findings")
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("finding_id", "text", (col) =>
      col.notNull().references("findings.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("case_findings_pk", ["case_id", "finding_id"])
    .execute();
  // The primary key serves look-ups by case; this one serves cascades and "cases of a finding".
  await db.schema
    .createIndex("case_findings_finding_id_idx")
    .on("case_findings")
    .column("finding_id")
    .execute();

  await db.schema
    .createTable("runs")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("command", "text", (col) => col.notNull())
    .addColumn("started_at", "text", (col) => col.notNull())
    .addColumn("finished_at", "text")
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("stats", "text", (col) => col.notNull())
    .execute();

  // Problems have no natural key; an engine-generated id keeps them in insertion order.
  // SQLite's AUTOINCREMENT never reuses an id; PostgreSQL spells it as a bigserial.
  await db.schema
    .createTable("problems")
    .$call((table) =>
      engine === "sqlite"
        ? table.addColumn("id", "integer", (col) => col.primaryKey().autoIncrement())
        : table.addColumn("id", "bigserial", (col) => col.primaryKey()),
    )
    .addColumn("run_id", "text", (col) => col.notNull())
    .addColumn("item", "text", (col) => col.notNull())
    .addColumn("code", "text", (col) => col.notNull())
    .addColumn("message", "text", (col) => col.notNull())
    .addColumn("at", "text", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("problems_run_id_idx").on("problems").column("run_id").execute();

  await db.schema
    .createTable("watchlist_entities")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("entity_id", "text", (col) => col.notNull())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("data", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .execute();
}

async function dropInitialTables(db: Kysely<unknown>): Promise<void> {
  // Reverse order of creation, so no foreign key points at a dropped table.
  for (const table of [
    "watchlist_entities",
    "problems",
    "runs",
    "case_findings",
    "cases",
    "findings",
    "observations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

/** Where resumable sources (CT logs) stopped; one row per source, overwritten as they go. */
async function createSourceCursors(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("source_cursors")
    .addColumn("source", "text", (col) => col.primaryKey())
    .addColumn("position", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .execute();
}

/** Notices to the people targeted, their delivery attempts and what else happened to them. */
async function createNoticeTables(db: Kysely<unknown>, engine: StoreEngine): Promise<void> {
  await db.schema
    .createTable("notices")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("dedup_key", "text", (col) => col.notNull().unique())
    .addColumn("dedup_base", "text", (col) => col.notNull())
    .addColumn("generation", "integer", (col) => col.notNull())
    .addColumn("case_id", "text", (col) => col.notNull())
    .addColumn("finding_id", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("recipient_name", "text", (col) => col.notNull())
    .addColumn("recipient_email", "text")
    .addColumn("person_id", "text")
    .addColumn("organisation_id", "text")
    .addColumn("escalation_of", "text")
    .addColumn("subject", "text", (col) => col.notNull())
    .addColumn("body", "text", (col) => col.notNull())
    .addColumn("payload", "text", (col) => col.notNull())
    .addColumn("channels", "text", (col) => col.notNull())
    .addColumn("pending_channels", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull())
    .addColumn("next_attempt_at", "text")
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("copies", "integer", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("sent_at", "text")
    .addColumn("acknowledged_at", "text")
    .addColumn("acknowledged_via", "text")
    .addColumn("escalated_at", "text")
    .execute();
  await db.schema
    .createIndex("notices_dedup_base_idx")
    .on("notices")
    .columns(["dedup_base", "generation"])
    .execute();
  // Serves the delivery loop's "what is due" and the escalation check.
  await db.schema
    .createIndex("notices_next_attempt_at_idx")
    .on("notices")
    .column("next_attempt_at")
    .execute();
  await db.schema
    .createIndex("notices_created_at_idx")
    .on("notices")
    .column("created_at")
    .execute();
  await db.schema
    .createTable("notice_findings")
    .addColumn("notice_id", "text", (col) =>
      col.notNull().references("notices.id").onDelete("cascade"),
    )
    .addColumn("finding_id", "text", (col) => col.notNull())
    .addColumn("at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("notice_findings_pk", ["notice_id", "finding_id"])
    .execute();
  await db.schema
    .createIndex("notice_findings_finding_id_idx")
    .on("notice_findings")
    .column("finding_id")
    .execute();
  for (const table of ["notice_deliveries", "notice_events"] as const) {
    await db.schema
      .createTable(table)
      .$call((t) =>
        engine === "sqlite"
          ? t.addColumn("id", "integer", (col) => col.primaryKey().autoIncrement())
          : t.addColumn("id", "bigserial", (col) => col.primaryKey()),
      )
      .addColumn("notice_id", "text", (col) =>
        col.notNull().references("notices.id").onDelete("cascade"),
      )
      .$call((t) =>
        table === "notice_deliveries"
          ? t
              .addColumn("channel", "text", (col) => col.notNull())
              .addColumn("attempt", "integer", (col) => col.notNull())
              .addColumn("at", "text", (col) => col.notNull())
              .addColumn("ok", "integer", (col) => col.notNull())
              .addColumn("detail", "text", (col) => col.notNull())
          : t
              .addColumn("type", "text", (col) => col.notNull())
              .addColumn("at", "text", (col) => col.notNull())
              .addColumn("detail", "text", (col) => col.notNull()),
      )
      .execute();
    await db.schema.createIndex(`${table}_notice_id_idx`).on(table).column("notice_id").execute();
  }
}

async function dropNoticeTables(db: Kysely<unknown>): Promise<void> {
  for (const table of ["notice_events", "notice_deliveries", "notice_findings", "notices"]) {
    await db.schema.dropTable(table).execute();
  }
}

/**
 * Correspondent history (docs/email-report.md): which messages were counted, and per
 * (sender, recipient) pair when mail was first and last seen, how much, and the reply-path
 * and link domains seen from the sender. Header facts only, never bodies.
 */
async function createCorrespondentTables(db: Kysely<unknown>, engine: StoreEngine): Promise<void> {
  await db.schema
    .createTable("correspondence_messages")
    .$call((t) =>
      engine === "sqlite"
        ? t.addColumn("seq", "integer", (col) => col.primaryKey().autoIncrement())
        : t.addColumn("seq", "bigserial", (col) => col.primaryKey()),
    )
    .addColumn("message_key", "text", (col) => col.notNull().unique())
    .addColumn("counted_at", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createTable("correspondents")
    .addColumn("sender", "text", (col) => col.notNull())
    .addColumn("recipient", "text", (col) => col.notNull())
    .addColumn("first_seq", engine === "sqlite" ? "integer" : "bigint", (col) => col.notNull())
    .addColumn("first_seen", "text", (col) => col.notNull())
    .addColumn("last_seen", "text", (col) => col.notNull())
    .addColumn("messages", "integer", (col) => col.notNull())
    .addColumn("reply_paths", "text", (col) => col.notNull())
    .addColumn("link_domains", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("correspondents_pk", ["sender", "recipient"])
    .execute();
  // Serves "has this recipient had any mail recorded before" (first contact).
  await db.schema
    .createIndex("correspondents_recipient_idx")
    .on("correspondents")
    .columns(["recipient", "first_seq"])
    .execute();
}

async function dropCorrespondentTables(db: Kysely<unknown>): Promise<void> {
  for (const table of ["correspondents", "correspondence_messages"]) {
    await db.schema.dropTable(table).execute();
  }
}
