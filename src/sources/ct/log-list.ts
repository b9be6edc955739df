import { z } from "zod";
import { VigilError } from "../../errors.js";
import { decodeUtf8, readFileLimited } from "../../watchlist/index.js";

/** The states a log can be in, in Google's v3 log list (and Chrome's CT policy). */
export const CT_LOG_STATES = [
  "pending",
  "qualified",
  "usable",
  "readonly",
  "retired",
  "rejected",
] as const;
export type CtLogState = (typeof CT_LOG_STATES)[number];

/** Logs followed when no state is asked for: those that hold certificates browsers trust. */
export const DEFAULT_CT_LOG_STATES: readonly CtLogState[] = ["usable", "qualified", "readonly"];

/** Google's list is ~100 KiB; this leaves room for growth and refuses anything absurd. */
export const MAX_LOG_LIST_BYTES = 8 * 1024 * 1024;
/** Logs per list at most (today's lists hold under 200). */
const MAX_LOGS = 10_000;

/** One log from a log list, with its URL normalised (see `normaliseLogUrl`). */
export interface CtLog {
  url: string;
  description: string;
  operator: string;
  /** Base64 of the log's DER SubjectPublicKeyInfo (unset for a log given by URL alone). */
  key?: string;
  /** Base64 of SHA-256 of `key`. */
  logId?: string;
  /** Maximum merge delay in seconds. */
  mmd?: number;
  state?: CtLogState;
}

const timestamped = z.looseObject({ timestamp: z.string().max(100) });
const LogSchema = z.looseObject({
  description: z.string().max(1000),
  log_id: z.string().max(200),
  key: z.string().max(20_000),
  url: z.string().max(2048),
  mmd: z.number().int().nonnegative(),
  state: z
    .looseObject(Object.fromEntries(CT_LOG_STATES.map((s) => [s, timestamped.optional()])))
    .optional(),
});
/** Google's v3 format; unknown fields (tiled logs, intervals, new keys) are allowed and ignored. */
const LogListSchema = z.looseObject({
  version: z.string().max(100).optional(),
  operators: z
    .array(
      z.looseObject({
        name: z.string().max(1000),
        logs: z.array(LogSchema).max(MAX_LOGS),
      }),
    )
    .max(MAX_LOGS),
});

/**
 * Parses a CT log list in Google's v3 JSON format
 * (`{ operators: [{ name, logs: [{ description, log_id, key, url, mmd, state }] }] }`).
 *
 * @param name shown in errors, e.g. the file name.
 * @throws VigilError `VIGIL_ERR_CT_LOG_LIST` naming the field that is wrong.
 */
export function parseLogList(text: string, name: string): CtLog[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new VigilError("VIGIL_ERR_CT_LOG_LIST", `${name}: not JSON (${(err as Error).message})`, {
      cause: err,
    });
  }
  const parsed = LogListSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`));
    throw new VigilError(
      "VIGIL_ERR_CT_LOG_LIST",
      `${name}: not a v3 log list: ${path?.join("").replace(/^\./, "") ?? ""}: ${issue?.message ?? "invalid"}`,
      { cause: parsed.error },
    );
  }
  const logs: CtLog[] = [];
  parsed.data.operators.forEach((operator, o) => {
    operator.logs.forEach((log, l) => {
      const url = normaliseLogUrl(log.url, `${name}: operators[${o}].logs[${l}].url`);
      const entry: CtLog = {
        url,
        description: log.description,
        operator: operator.name,
        key: log.key,
        logId: log.log_id,
        mmd: log.mmd,
      };
      const state = CT_LOG_STATES.find((s) => log.state?.[s] !== undefined);
      if (state !== undefined) entry.state = state;
      logs.push(entry);
    });
  });
  return logs;
}

/**
 * Reads a log list file (at most `MAX_LOG_LIST_BYTES`).
 *
 * @example
 * const logs = selectLogs(await readLogList("log_list.json"));
 */
export async function readLogList(path: string): Promise<CtLog[]> {
  const bytes = await readFileLimited(path, MAX_LOG_LIST_BYTES, "VIGIL_ERR_CT_LOG_LIST");
  return parseLogList(decodeUtf8(bytes, path, "VIGIL_ERR_CT_LOG_LIST"), path);
}

/**
 * Picks the logs to follow: those whose URL is in `urls` when given (each must be in the
 * list), else those in one of `states` (by default usable, qualified and readonly).
 *
 * @throws VigilError `VIGIL_ERR_CT_LOG_LIST` for a URL that is not in the list.
 */
export function selectLogs(
  logs: readonly CtLog[],
  options: { states?: readonly CtLogState[]; urls?: readonly string[] } = {},
): CtLog[] {
  if (options.urls !== undefined && options.urls.length > 0) {
    return options.urls.map((raw) => {
      const url = normaliseLogUrl(raw, "log URL");
      const log = logs.find((l) => l.url === url);
      if (log === undefined) {
        throw new VigilError("VIGIL_ERR_CT_LOG_LIST", `${url} is not in the log list`);
      }
      return log;
    });
  }
  const states = new Set(options.states ?? DEFAULT_CT_LOG_STATES);
  return logs.filter((l) => l.state !== undefined && states.has(l.state));
}

/**
 * A log's URL in one canonical form: http or https, no query or fragment, path ending in
 * `/` (RFC 6962 §4 appends `ct/v1/…` to it). Used as the log's identity in cursors and
 * observations, so `https://log.example/2024` and `https://log.example/2024/` are one log.
 *
 * @throws VigilError `VIGIL_ERR_CT_LOG_LIST` naming `what` for anything else.
 */
export function normaliseLogUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch (err) {
    throw new VigilError(
      "VIGIL_ERR_CT_LOG_LIST",
      `${what}: not a URL: ${JSON.stringify(raw.slice(0, 200))}`,
      {
        cause: err,
      },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new VigilError("VIGIL_ERR_CT_LOG_LIST", `${what}: ${url.protocol} is not http(s)`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new VigilError(
      "VIGIL_ERR_CT_LOG_LIST",
      `${what}: a log URL has no query, fragment or credentials`,
    );
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/** A log given by URL alone (`--log URL` without a list). */
export function logFromUrl(raw: string): CtLog {
  const url = normaliseLogUrl(raw, "log URL");
  return { url, description: url, operator: "" };
}
