import { randomBytes } from "node:crypto";
import type { Insertable, Kysely, Selectable } from "kysely";
import { type ErrorCode, VigilError } from "../errors.js";
import type {
  Case,
  Confidence,
  Finding,
  FindingKind,
  Observation,
  Severity,
  Watchlist,
} from "../model/index.js";
import type { BatchWriter } from "./batch-writer.js";
import { chunks, KyselyBatchWriter } from "./kysely-batch-writer.js";
import type { NoticeStore } from "./notice-store.js";
import type {
  CasesTable,
  Database,
  FindingsTable,
  ObservationsTable,
  SourceCursorsTable,
  WatchlistEntitiesTable,
} from "./schema.js";
import {
  checkCorrespondence,
  readCorrespondence,
  writeCorrespondence,
} from "./sql-correspondence.js";
import { SqlNoticeStore } from "./sql-notice-store.js";
import type {
  CorrespondenceLookup,
  CorrespondenceQuery,
  FindingFilter,
  ObservationPage,
  ObservationRead,
  PersistBatch,
  PersistResult,
  RunInfo,
  Store,
  StoreCounts,
  StoredProblem,
  StoreEngine,
} from "./store.js";
import { storeError } from "./store-error.js";

/** Longest source name a cursor may have: a log URL with a prefix fits many times over. */
export const MAX_CURSOR_SOURCE_CHARS = 2048;
/** Longest cursor position: an entry index, or a feed's token, is short; this bounds a bad one. */
export const MAX_CURSOR_POSITION_CHARS = 1024;
/** How many findings `listFindings` returns when the filter sets no limit. */
export const DEFAULT_FINDINGS_LIMIT = 1000;
/** Upper bound of one `listFindings` call, so no filter pulls an unbounded table into memory. */
export const MAX_FINDINGS_LIMIT = 100_000;
/** Most observations one page of `readObservations` returns. */
export const MAX_OBSERVATIONS_PAGE = 50_000;
/** How many runs `listRuns` returns when no limit is given. */
export const DEFAULT_RUNS_LIMIT = 100;
/** Upper bound of one `listRuns` call. */
export const MAX_RUNS_LIMIT = 100_000;

const RUN_STATUSES: ReadonlySet<string> = new Set(["running", "ok", "failed"]);

/** How a `SqlStore` describes itself and reads the time. */
export interface SqlStoreOptions {
  engine: StoreEngine;
  /** A file path, or a PostgreSQL URL without its password. */
  location: string;
  /** Clock for `updated_at` and `created_at` stamps; defaults to the system clock. */
  now?: () => Date;
  /**
   * How a batch's rows are inserted: the engine's fast path (`openStore` picks it), else
   * Kysely's portable multi-row INSERTs.
   */
  writer?: BatchWriter;
}

/**
 * The `Store` over Kysely: one implementation for SQLite and PostgreSQL.
 *
 * Expects a migrated database (`openStore` migrates before it builds one). Timestamps are
 * written in `toISOString()` form (UTC, milliseconds), so they compare and sort as text;
 * an input such as `2024-05-01T10:00:00Z` comes back as `2024-05-01T10:00:00.000Z`.
 */
export class SqlStore implements Store {
  readonly engine: StoreEngine;
  readonly location: string;
  readonly notices: NoticeStore;
  readonly #db: Kysely<Database>;
  readonly #now: () => Date;
  readonly #writer: BatchWriter;
  #closed = false;

  constructor(db: Kysely<Database>, options: SqlStoreOptions) {
    this.#db = db;
    this.engine = options.engine;
    this.location = options.location;
    this.#now = options.now ?? (() => new Date());
    this.#writer = options.writer ?? new KyselyBatchWriter();
    this.notices = new SqlNoticeStore(db, options.location);
  }

  async syncWatchlist(watchlist: Watchlist): Promise<void> {
    const updatedAt = this.#now().toISOString();
    const rows = [
      ...watchlist.outlets.map((outlet) => entityRow("outlet", outlet, updatedAt)),
      ...watchlist.people.map((person) => entityRow("person", person, updatedAt)),
      ...watchlist.organisations.map((org) => entityRow("organisation", org, updatedAt)),
    ];
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.id)) {
        throw new VigilError("VIGIL_ERR_WATCHLIST_INVALID", `the watchlist names ${row.id} twice`);
      }
      seen.add(row.id);
    }
    await this.#write("cannot store the watchlist", () =>
      this.#db.transaction().execute(async (trx) => {
        await trx.deleteFrom("watchlist_entities").execute();
        for (const chunk of chunks(rows)) {
          await trx.insertInto("watchlist_entities").values(chunk).execute();
        }
      }),
    );
  }

  async startRun(command: string, startedAt: string): Promise<string> {
    const started = isoInstant(startedAt, "startedAt", "VIGIL_ERR_STORE_WRITE");
    const id = newRunId(Date.parse(started));
    await this.#write(`cannot record the start of run ${id}`, () =>
      this.#db
        .insertInto("runs")
        .values({ id, command, started_at: started, status: "running", stats: "{}" })
        .execute(),
    );
    return id;
  }

  async finishRun(
    runId: string,
    status: "ok" | "failed",
    finishedAt: string,
    stats: Record<string, number>,
  ): Promise<void> {
    const finished = isoInstant(finishedAt, "finishedAt", "VIGIL_ERR_STORE_WRITE");
    const result = await this.#write(`cannot record the end of run ${runId}`, () =>
      this.#db
        .updateTable("runs")
        .set({ status, finished_at: finished, stats: JSON.stringify(stats) })
        .where("id", "=", runId)
        .executeTakeFirst(),
    );
    if (result.numUpdatedRows === 0n) {
      throw new VigilError("VIGIL_ERR_STORE_WRITE", `no run ${runId} in ${this.location}`);
    }
  }

  async persistBatch(batch: PersistBatch): Promise<PersistResult> {
    const { runId } = batch;
    const createdAt = this.#now().toISOString();
    // Rows are built before the transaction opens, so malformed input fails fast and
    // never holds a write lock. Keyed rows go in key order: ids are content hashes, so in
    // input order each row lands on a random page of the key's index, while in key order
    // a batch walks the index once, end to end, reading each page once;
    // and concurrent writers on PostgreSQL take their key locks in one order, so two
    // batches inserting the same rows wait for each other instead of deadlocking.
    const observations = byKey(batch.observations.map((o) => observationRow(o, runId)));
    const findings = byKey(batch.findings.map((f) => findingRow(f, runId, createdAt)));
    const cases = byKey(batch.cases.map(caseRow));
    const links = batch.cases
      .flatMap((c) => c.findingIds.map((findingId) => ({ case_id: c.id, finding_id: findingId })))
      .sort((a, b) => compareText(a.case_id, b.case_id) || compareText(a.finding_id, b.finding_id));
    const problems = batch.problems.map((p) => ({
      run_id: runId,
      item: p.item,
      code: p.code,
      message: p.message,
      at: isoInstant(p.at, "problem time", "VIGIL_ERR_STORE_WRITE"),
    }));
    const cursors = cursorRows(batch.cursors ?? [], createdAt);
    const correspondence = batch.correspondence ?? [];
    checkCorrespondence(correspondence);

    return this.#write(`cannot store a batch of run ${runId}; none of it was kept`, () =>
      this.#db.transaction().execute(async (trx) => {
        // Order matters: case links reference findings and cases stored just before.
        const writer = this.#writer;
        const observationsAdded = await writer.insertNew(trx, "observations", observations);
        const findingsAdded = await writer.insertNew(trx, "findings", findings);
        const casesAdded = await writer.insertNew(trx, "cases", cases);
        await writer.insertNew(trx, "case_findings", links);
        await writer.insertProblems(trx, problems);
        if (cursors.length > 0) {
          await trx
            .insertInto("source_cursors")
            .values(cursors)
            .onConflict((oc) =>
              oc.column("source").doUpdateSet((eb) => ({
                position: eb.ref("excluded.position"),
                updated_at: eb.ref("excluded.updated_at"),
              })),
            )
            .execute();
        }
        if (correspondence.length > 0) {
          await writeCorrespondence(trx, this.engine, correspondence);
        }
        return { observationsAdded, findingsAdded, casesAdded };
      }),
    );
  }

  async getCursor(source: string): Promise<string | undefined> {
    const row = await this.#read(`the position of ${source}`, () =>
      this.#db
        .selectFrom("source_cursors")
        .select("position")
        .where("source", "=", source)
        .executeTakeFirst(),
    );
    return row?.position;
  }

  async readObservations(page: ObservationPage): Promise<ObservationRead> {
    const limit = checkLimit(page.limit, page.limit, MAX_OBSERVATIONS_PAGE);
    let query = this.#db.selectFrom("observations").selectAll().where("kind", "=", page.kind);
    if (page.after !== undefined) query = query.where("id", ">", page.after);
    if (page.since !== undefined) {
      const since = isoInstant(page.since, "since", "VIGIL_ERR_STORE_READ");
      query = query.where("observed_at", ">=", since);
    }
    const rows = await this.#read("observations", () => query.orderBy("id").limit(limit).execute());
    const read: ObservationRead = { observations: [], unreadable: [], rows: rows.length };
    for (const row of rows) {
      try {
        read.observations.push(toObservation(row));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        read.unreadable.push({ id: row.id, message: `stored data cannot be read: ${message}` });
      }
    }
    const last = rows[rows.length - 1];
    if (last !== undefined) read.last = last.id;
    return read;
  }

  async correspondence(query: CorrespondenceQuery): Promise<CorrespondenceLookup> {
    return this.#read(`the correspondents of ${query.sender ?? "a message"}`, () =>
      readCorrespondence(this.#db, query),
    );
  }

  async listFindings(filter: FindingFilter = {}): Promise<Finding[]> {
    const limit = checkLimit(filter.limit, DEFAULT_FINDINGS_LIMIT, MAX_FINDINGS_LIMIT);
    let query = this.#db.selectFrom("findings").selectAll();
    if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
    if (filter.since !== undefined) {
      const since = isoInstant(filter.since, "since", "VIGIL_ERR_STORE_READ");
      query = query.where("observed_at", ">=", since);
    }
    if (filter.minScore !== undefined) {
      if (!Number.isFinite(filter.minScore)) {
        throw new VigilError("VIGIL_ERR_STORE_READ", "minScore must be a finite number");
      }
      query = query.where("score", ">=", filter.minScore);
    }
    if (filter.targetId !== undefined) query = query.where("target_id", "=", filter.targetId);
    const rows = await this.#read("findings", () =>
      query
        .orderBy("score", "desc")
        .orderBy("observed_at", "desc")
        .orderBy("id")
        .limit(limit)
        .execute(),
    );
    return this.#parse("findings", () => rows.map(toFinding));
  }

  async listCases(): Promise<Case[]> {
    const [caseRows, links] = await this.#read("cases", async () => [
      await this.#db.selectFrom("cases").selectAll().execute(),
      await this.#db.selectFrom("case_findings").selectAll().execute(),
    ]);
    const findingIds = new Map<string, string[]>();
    for (const link of links) {
      const ids = findingIds.get(link.case_id);
      if (ids === undefined) findingIds.set(link.case_id, [link.finding_id]);
      else ids.push(link.finding_id);
    }
    // Sorted here rather than in SQL so both engines agree whatever their text collation.
    const cases = caseRows.map((row) => toCase(row, (findingIds.get(row.id) ?? []).sort()));
    return cases.sort(
      (a, b) =>
        b.findingIds.length - a.findingIds.length ||
        compareText(a.title, b.title) ||
        compareText(a.id, b.id),
    );
  }

  async listProblems(runId?: string): Promise<StoredProblem[]> {
    let query = this.#db.selectFrom("problems").select(["run_id", "item", "code", "message", "at"]);
    if (runId !== undefined) query = query.where("run_id", "=", runId);
    const rows = await this.#read("problems", () => query.orderBy("id").execute());
    return rows.map((row) => ({
      runId: row.run_id,
      item: row.item,
      code: row.code,
      message: row.message,
      at: row.at,
    }));
  }

  async listRuns(limit?: number): Promise<RunInfo[]> {
    const max = checkLimit(limit, DEFAULT_RUNS_LIMIT, MAX_RUNS_LIMIT);
    const rows = await this.#read("runs", () =>
      this.#db
        .selectFrom("runs")
        .selectAll()
        .orderBy("started_at", "desc")
        .orderBy("id", "desc")
        .limit(max)
        .execute(),
    );
    return this.#parse("runs", () =>
      rows.map((row) => {
        if (!RUN_STATUSES.has(row.status)) throw new Error(`unknown run status ${row.status}`);
        const run: RunInfo = {
          id: row.id,
          command: row.command,
          startedAt: row.started_at,
          status: row.status as RunInfo["status"],
          stats: JSON.parse(row.stats) as Record<string, number>,
        };
        if (row.finished_at !== null) run.finishedAt = row.finished_at;
        return run;
      }),
    );
  }

  async counts(): Promise<StoreCounts> {
    const row = await this.#read("counts", () =>
      this.#db
        .selectNoFrom((eb) => [
          eb.selectFrom("observations").select(eb.fn.countAll().as("n")).as("observations"),
          eb.selectFrom("findings").select(eb.fn.countAll().as("n")).as("findings"),
          eb.selectFrom("cases").select(eb.fn.countAll().as("n")).as("cases"),
          eb.selectFrom("problems").select(eb.fn.countAll().as("n")).as("problems"),
          eb.selectFrom("watchlist_entities").select(eb.fn.countAll().as("n")).as("entities"),
        ])
        .executeTakeFirstOrThrow(),
    );
    // PostgreSQL's count() is a bigint, which pg hands over as a string.
    return {
      observations: Number(row.observations),
      findings: Number(row.findings),
      cases: Number(row.cases),
      problems: Number(row.problems),
      watchlistEntities: Number(row.entities),
    };
  }

  async close(): Promise<void> {
    // pg's Pool throws if ended twice; closing a closed store is harmless instead.
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }

  async #write<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw storeError("VIGIL_ERR_STORE_WRITE", `${what} (${this.location})`, err);
    }
  }

  async #read<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw storeError("VIGIL_ERR_STORE_READ", `cannot read ${what} from ${this.location}`, err);
    }
  }

  /** Turns rows into model objects; bad stored JSON is a read failure, not a crash. */
  #parse<T>(what: string, parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      throw storeError("VIGIL_ERR_STORE_READ", `malformed ${what} in ${this.location}`, err);
    }
  }
}

/**
 * Cursor rows, one per source (the last one given wins: a single INSERT … ON CONFLICT DO
 * UPDATE may not touch one row twice on PostgreSQL).
 */
function cursorRows(
  cursors: ReadonlyArray<{ source: string; position: string }>,
  updatedAt: string,
): Insertable<SourceCursorsTable>[] {
  const bySource = new Map<string, Insertable<SourceCursorsTable>>();
  for (const { source, position } of cursors) {
    if (source.length === 0 || source.length > MAX_CURSOR_SOURCE_CHARS) {
      throw new VigilError(
        "VIGIL_ERR_STORE_WRITE",
        `a cursor's source must have 1 to ${MAX_CURSOR_SOURCE_CHARS} characters`,
      );
    }
    if (position.length > MAX_CURSOR_POSITION_CHARS) {
      throw new VigilError(
        "VIGIL_ERR_STORE_WRITE",
        `the cursor of ${source.slice(0, 200)} is longer than ${MAX_CURSOR_POSITION_CHARS} characters`,
      );
    }
    bySource.set(source, { source, position, updated_at: updatedAt });
  }
  return [...bySource.values()];
}

/**
 * A run id: `run_`, the start time in milliseconds as 12 hex digits (so ids sort by start
 * time as text), then 64 random bits so runs started in the same millisecond differ.
 */
function newRunId(startedAtMs: number): string {
  return `run_${startedAtMs.toString(16).padStart(12, "0")}${randomBytes(8).toString("hex")}`;
}

/**
 * The last time `isoInstant` normalised: the rows of a batch mostly share one stamp (a
 * scan stamps every observation with its start), and parsing it again for each of a
 * million rows is measurable.
 */
let lastInstant = { value: "1970-01-01T00:00:00.000Z", iso: "1970-01-01T00:00:00.000Z" };

/**
 * Normalises a time to `toISOString()` form, the one form that sorts as text. `field`
 * names the value in the error; a function is only called when there is an error.
 */
function isoInstant(value: string, field: string | (() => string), code: ErrorCode): string {
  if (value === lastInstant.value) return lastInstant.iso;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    const name = typeof field === "string" ? field : field();
    throw new VigilError(
      code,
      `${name} is not a valid time: ${JSON.stringify(value.slice(0, 100))}`,
    );
  }
  const iso = new Date(ms).toISOString();
  lastInstant = { value, iso };
  return iso;
}

function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new VigilError("VIGIL_ERR_STORE_READ", `limit must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** The rows sorted by their `id` (in place), as `compareText` orders them. */
function byKey<T extends { id: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareText(a.id, b.id));
}

/** Orders by UTF-16 code units, the same on every machine (unlike `localeCompare`). */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function toObservation(row: Selectable<ObservationsTable>): Observation {
  return {
    id: row.id,
    kind: row.kind as Observation["kind"],
    value: row.value,
    data: JSON.parse(row.data) as Record<string, unknown>,
    contentHash: row.content_hash,
    source: row.source,
    observedAt: row.observed_at,
  };
}

function observationRow(o: Observation, runId: string): Insertable<ObservationsTable> {
  return {
    id: o.id,
    kind: o.kind,
    value: o.value,
    data: JSON.stringify(o.data),
    content_hash: o.contentHash,
    source: o.source,
    observed_at: isoInstant(o.observedAt, () => `observedAt of ${o.id}`, "VIGIL_ERR_STORE_WRITE"),
    run_id: runId,
  };
}

function findingRow(f: Finding, runId: string, createdAt: string): Insertable<FindingsTable> {
  return {
    id: f.id,
    kind: f.kind,
    subject: f.subject,
    target_type: f.target?.type ?? null,
    target_id: f.target?.id ?? null,
    target_name: f.target?.name ?? null,
    score: f.score,
    severity: f.severity,
    reasons: JSON.stringify(f.reasons),
    techniques: JSON.stringify(f.techniques),
    evidence: JSON.stringify(f.evidence),
    detector: f.detector,
    detector_version: f.detectorVersion,
    observed_at: isoInstant(f.observedAt, () => `observedAt of ${f.id}`, "VIGIL_ERR_STORE_WRITE"),
    observation_ids: JSON.stringify(f.observationIds),
    created_at: createdAt,
    run_id: runId,
  };
}

function toFinding(row: Selectable<FindingsTable>): Finding {
  const finding: Finding = {
    id: row.id,
    kind: row.kind as FindingKind,
    subject: row.subject,
    score: row.score,
    severity: row.severity as Severity,
    reasons: JSON.parse(row.reasons),
    techniques: JSON.parse(row.techniques),
    evidence: JSON.parse(row.evidence),
    detector: row.detector,
    detectorVersion: row.detector_version,
    observedAt: row.observed_at,
    observationIds: JSON.parse(row.observation_ids),
  };
  if (row.target_type !== null && row.target_id !== null && row.target_name !== null) {
    finding.target = {
      type: row.target_type as NonNullable<Finding["target"]>["type"],
      id: row.target_id,
      name: row.target_name,
    };
  }
  return finding;
}

function caseRow(c: Case): Insertable<CasesTable> {
  return {
    id: c.id,
    title: c.title,
    grouping: c.grouping,
    key: c.key,
    actor: c.actor ?? null,
    confidence: c.confidence ?? null,
    rationale: c.rationale ?? null,
    created_at: isoInstant(c.createdAt, () => `createdAt of ${c.id}`, "VIGIL_ERR_STORE_WRITE"),
  };
}

function toCase(row: Selectable<CasesTable>, findingIds: string[]): Case {
  const stored: Case = {
    id: row.id,
    title: row.title,
    grouping: row.grouping,
    key: row.key,
    findingIds,
    createdAt: row.created_at,
  };
  if (row.actor !== null) stored.actor = row.actor;
  if (row.confidence !== null) stored.confidence = row.confidence as Confidence;
  if (row.rationale !== null) stored.rationale = row.rationale;
  return stored;
}

function entityRow(
  type: "outlet" | "person" | "organisation",
  entity: { id?: string | undefined; name: string },
  updatedAt: string,
): Insertable<WatchlistEntitiesTable> {
  if (entity.id === undefined) {
    // Ids are filled in when the watchlist is loaded; storing without them would make
    // every sync invent new identities for the same people.
    throw new VigilError(
      "VIGIL_ERR_WATCHLIST_INVALID",
      `${type} ${JSON.stringify(entity.name)} has no id; load the watchlist before storing it`,
    );
  }
  return {
    id: `${type}:${entity.id}`,
    type,
    entity_id: entity.id,
    name: entity.name,
    data: JSON.stringify(entity),
    updated_at: updatedAt,
  };
}
