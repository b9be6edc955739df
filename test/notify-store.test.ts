/**
 * The notices' tables on both engines: the 0003 migration, dedup by base and generation,
 * copies, due deliveries, attempts, acknowledgement by id and token, overdue and
 * escalated notices — on SQLite and on the PostgreSQL at VIGIL_TEST_PG_URL (failing, not
 * skipping, when it cannot be reached).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NewNotice, openStore, type Store } from "../src/index.js";
import { useTempStores } from "./support/temp-stores.js";

const PG_URL = process.env.VIGIL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const stores = useTempStores("vigil-notify-store-");
const schema = `vigil_notify_${Math.random().toString(36).slice(2, 10)}`;
const admin = new pg.Client({ connectionString: PG_URL });

beforeAll(async () => {
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is unreachable at ${PG_URL} (${(err as Error).message}); start it or set VIGIL_TEST_PG_URL`,
      { cause: err },
    );
  }
  await admin.query(`create schema ${schema}`);
});
afterAll(async () => {
  await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
  await admin.end().catch(() => {});
});

const engines: Array<{ engine: string; open: () => Promise<Store> }> = [
  {
    engine: "sqlite",
    open: async () => stores.closeAfterTest(await openStore({ path: join(stores.dir, "n.db") })),
  },
  {
    engine: "postgres",
    open: async () => {
      const separator = PG_URL.includes("?") ? "&" : "?";
      const url = `${PG_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      return stores.closeAfterTest(await openStore({ url }));
    },
  },
];

function notice(id: string, over: Partial<NewNotice> = {}): NewNotice {
  return {
    id,
    dedupBase: "case_1|target|marcus",
    generation: 1,
    caseId: "case_1",
    findingId: `f_${id}`,
    kind: "target",
    recipientName: "Marcus Ortega",
    recipientEmail: "marcus@harperforamerica.example",
    personId: "marcus-ortega",
    organisationId: "harper-for-america",
    subject: "Warning",
    body: "Do not click.",
    payload: { kind: "target" },
    channels: ["email", "webhook"],
    tokenHash: createHash("sha256").update(id).digest("hex"),
    createdAt: "2024-06-10T10:00:00.000Z",
    ...over,
  };
}

describe.each(engines)("notices on $engine", ({ open }) => {
  it("stores, dedups, delivers, acknowledges and escalates", async () => {
    const store = await open();
    const n = store.notices;
    const t0 = "2024-06-10T10:00:00.000Z";
    const made = await n.create(notice("ntc_0000000000000001"), t0);
    expect(made.created).toBe(true);
    expect(made.notice).toMatchObject({
      status: "pending",
      copies: 1,
      nextAttemptAt: t0,
      pendingChannels: ["email", "webhook"],
    });
    // The same base and generation again (a concurrent run): not created, the first returned.
    const twice = await n.create(notice("ntc_0000000000000002"), t0);
    expect(twice).toMatchObject({ created: false, notice: { id: "ntc_0000000000000001" } });
    expect(await n.covers("case_1|target|marcus", "f_ntc_0000000000000001")).toBe(true);
    await n.recordCopy("ntc_0000000000000001", "f_copy", t0, "finding f_copy");
    await n.recordCopy("ntc_0000000000000001", "f_copy", t0, "finding f_copy");
    expect((await n.get("ntc_0000000000000001"))?.copies).toBe(2);
    expect((await n.latest("case_1|target|marcus"))?.id).toBe("ntc_0000000000000001");

    expect((await n.due(t0, 10)).map((x) => x.id)).toEqual(["ntc_0000000000000001"]);
    await n.recordDeliveries(
      "ntc_0000000000000001",
      [
        {
          noticeId: "ntc_0000000000000001",
          channel: "email",
          attempt: 1,
          at: t0,
          ok: true,
          detail: "250 ok",
        },
        {
          noticeId: "ntc_0000000000000001",
          channel: "webhook",
          attempt: 1,
          at: t0,
          ok: false,
          detail: "HTTP 503",
        },
      ],
      {
        pendingChannels: ["webhook"],
        status: "pending",
        attempts: 1,
        nextAttemptAt: "2024-06-10T10:01:00.000Z",
      },
    );
    expect(await n.due(t0, 10)).toEqual([]);
    expect((await n.due("2024-06-10T10:01:00.000Z", 10))[0]).toMatchObject({
      attempts: 1,
      pendingChannels: ["webhook"],
    });
    expect((await n.deliveries("ntc_0000000000000001")).map((d) => [d.channel, d.ok])).toEqual([
      ["email", true],
      ["webhook", false],
    ]);

    expect(await n.overdue("2024-06-10T09:00:00.000Z", 10)).toEqual([]);
    expect((await n.overdue("2024-06-10T11:00:00.000Z", 10)).map((x) => x.id)).toEqual([
      "ntc_0000000000000001",
    ]);
    const tokenHash = createHash("sha256").update("ntc_0000000000000001").digest("hex");
    expect((await n.getByToken(tokenHash))?.id).toBe("ntc_0000000000000001");
    const acked = await n.acknowledge({ tokenHash }, "2024-06-10T10:30:00.000Z", "link");
    expect(acked).toMatchObject({
      acknowledgedAt: "2024-06-10T10:30:00.000Z",
      acknowledgedVia: "link",
    });
    expect(await n.acknowledge({ id: "ntc_ffffffffffffffff" }, t0, "cli")).toBeUndefined();
    expect(await n.overdue("2024-06-10T11:00:00.000Z", 10)).toEqual([]);

    await n.create(
      notice("ntc_0000000000000003", { dedupBase: "case_2|target|dana", findingId: "f_3" }),
      t0,
    );
    await n.markEscalated(
      "ntc_0000000000000003",
      "2024-06-10T11:00:00.000Z",
      "escalated",
      "to security@",
    );
    expect(await n.overdue("2024-06-10T12:00:00.000Z", 10)).toEqual([]);
    expect((await n.events("ntc_0000000000000003")).map((e) => e.type)).toEqual([
      "created",
      "escalated",
    ]);
    expect((await n.events("ntc_0000000000000001")).map((e) => e.type)).toEqual([
      "created",
      "copy",
      "acknowledged",
    ]);
    expect((await n.list()).map((x) => x.id).sort()).toEqual([
      "ntc_0000000000000001",
      "ntc_0000000000000003",
    ]);
  });
});
