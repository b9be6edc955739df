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

/**
 * The read API a log speaks: RFC 6962 (`ct/v1/get-entries`), or the Static CT API
 * (c2sp.org/static-ct-api: a checkpoint and data tiles, the "tiled" logs).
 */
export const CT_LOG_APIS = ["rfc6962", "static-ct"] as const;
export type CtLogApi = (typeof CT_LOG_APIS)[number];

/** One log from a log list, with its URL normalised (see `normaliseLogUrl`). */
export interface CtLog {
  /**
   * Where its entries are read, and its identity in cursors and observations: the RFC
   * 6962 base URL, or a tiled log's monitoring prefix.
   */
  url: string;
  api: CtLogApi;
  /** A tiled log's submission prefix (its RFC 6962 `add-chain` side), when known. */
  submissionUrl?: string;
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
const LogFields = {
  description: z.string().max(1000),
  log_id: z.string().max(200),
  key: z.string().max(20_000),
  mmd: z.number().int().nonnegative(),
  state: z
    .looseObject(Object.fromEntries(CT_LOG_STATES.map((s) => [s, timestamped.optional()])))
    .optional(),
};
const LogSchema = z.looseObject({ ...LogFields, url: z.string().max(2048) });
/** A Static CT API log: read at its monitoring prefix, written at its submission prefix. */
const TiledLogSchema = z.looseObject({
  ...LogFields,
  monitoring_url: z.string().max(2048),
  submission_url: z.string().max(2048),
});
/** Google's v3 format; unknown fields (intervals, new keys) are allowed and ignored. */
const LogListSchema = z.looseObject({
  version: z.string().max(100).optional(),
  operators: z
    .array(
      z.looseObject({
        name: z.string().max(1000),
        logs: z.array(LogSchema).max(MAX_LOGS),
        tiled_logs: z.array(TiledLogSchema).max(MAX_LOGS).optional(),
      }),
    )
    .max(MAX_LOGS),
});

/**
 * Parses a CT log list in Google's v3 JSON format
 * (`{ operators: [{ name, logs: [{ description, log_id, key, url, mmd, state }],
 * tiled_logs: [{ …, monitoring_url, submission_url }] }] }`). RFC 6962 logs come first,
 * then tiled logs (`api: "static-ct"`, `url` their monitoring prefix).
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
  /** What both kinds of log share in the list: operator, key, log id, delay and state. */
  const listed = (
    log: { description: string; key: string; log_id: string; mmd: number; state?: unknown },
    operator: string,
  ) => {
    const states = log.state as Partial<Record<CtLogState, unknown>> | undefined;
    const state = CT_LOG_STATES.find((s) => states?.[s] !== undefined);
    return {
      description: log.description,
      operator,
      key: log.key,
      logId: log.log_id,
      mmd: log.mmd,
      ...(state === undefined ? {} : { state }),
    };
  };
  parsed.data.operators.forEach((operator, o) => {
    operator.logs.forEach((log, l) => {
      const url = normaliseLogUrl(log.url, `${name}: operators[${o}].logs[${l}].url`);
      logs.push({ url, api: "rfc6962", ...listed(log, operator.name) });
    });
  });
  parsed.data.operators.forEach((operator, o) => {
    operator.tiled_logs?.forEach((log, l) => {
      const at = `${name}: operators[${o}].tiled_logs[${l}]`;
      logs.push({
        url: normaliseLogUrl(log.monitoring_url, `${at}.monitoring_url`),
        api: "static-ct",
        submissionUrl: normaliseLogUrl(log.submission_url, `${at}.submission_url`),
        ...listed(log, operator.name),
      });
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
 * Picks the logs to follow: those whose URL is in `urls` (RFC 6962 logs) or `tiledUrls`
 * (tiled logs, by monitoring prefix) when either is given (each must be in the list with
 * that API), else those in one of `states` (by default usable, qualified and readonly).
 *
 * @throws VigilError `VIGIL_ERR_CT_LOG_LIST` for a URL that is not in the list as asked.
 */
export function selectLogs(
  logs: readonly CtLog[],
  options: {
    states?: readonly CtLogState[];
    urls?: readonly string[];
    tiledUrls?: readonly string[];
  } = {},
): CtLog[] {
  const wanted = [
    ...(options.urls ?? []).map((url) => ({ url, api: "rfc6962" as const })),
    ...(options.tiledUrls ?? []).map((url) => ({ url, api: "static-ct" as const })),
  ];
  if (wanted.length > 0) {
    return wanted.map(({ url: raw, api }) => {
      const url = normaliseLogUrl(raw, "log URL");
      const log = logs.find((l) => l.url === url && l.api === api);
      if (log === undefined) {
        const other = logs.find((l) => l.url === url);
        throw new VigilError(
          "VIGIL_ERR_CT_LOG_LIST",
          other === undefined
            ? `${url} is not in the log list`
            : `${url} is ${API_NAMES[other.api]} in the log list, not ${API_NAMES[api]}`,
        );
      }
      return log;
    });
  }
  const states = new Set(options.states ?? DEFAULT_CT_LOG_STATES);
  return logs.filter((l) => l.state !== undefined && states.has(l.state));
}

/**
 * A log's URL in one canonical form: http or https, no query or fragment, path ending in
 * `/` (RFC 6962 §4 appends `ct/v1/…` to it, the Static CT API `checkpoint` and `tile/…`).
 * Used as the log's identity in cursors and observations, so `https://log.example/2024`
 * and `https://log.example/2024/` are one log.
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

/**
 * A log given by URL alone (`--log URL` or `--tiled-log URL` without a list).
 *
 * @param api `static-ct` when `raw` is a tiled log's monitoring prefix.
 */
export function logFromUrl(raw: string, api: CtLogApi = "rfc6962"): CtLog {
  const url = normaliseLogUrl(raw, "log URL");
  return { url, api, description: url, operator: "" };
}

const API_NAMES: Record<CtLogApi, string> = {
  rfc6962: "an RFC 6962 log",
  "static-ct": "a tiled (Static CT API) log",
};
