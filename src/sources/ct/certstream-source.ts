import WebSocket from "ws";
import { z } from "zod";
import type { ItemProblem } from "../../detect/index.js";
import { VigilError } from "../../errors.js";
import type { SourceItem } from "../source-item.js";
import { type BackoffOptions, backoffDelay, sleep } from "./backoff.js";
import { domainItems } from "./domain-items.js";
import { MAX_NAMES_PER_CERTIFICATE } from "./tbs-certificate.js";

/**
 * Largest message taken. A certstream update carries one certificate's fields and chain
 * (a few KiB, up to ~100 KiB for certificates with thousands of names); `ws` closes the
 * connection on a bigger one (code 1009) rather than buffering it, and we reconnect.
 */
export const MAX_CERTSTREAM_MESSAGE_BYTES = 1024 * 1024;
/** Messages held while the consumer is busy before the socket is paused (TCP pushes back). */
const HIGH_WATER = 1000;
const LOW_WATER = 100;
const DEFAULT_RECONNECT: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };
/** How long the WebSocket handshake may take. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

export interface CertstreamProgress {
  messages: number;
  /** Certificate updates handed over. */
  entries: number;
  names: number;
  reconnects: number;
  connected: boolean;
}

export interface CertstreamOptions {
  /** `ws://` or `wss://` URL of a certstream-compatible feed. */
  url: string;
  signal?: AbortSignal;
  /** Stop after this many certificate updates. */
  maxEntries?: number;
  maxMessageBytes?: number;
  /** Waits between reconnections (growing while the feed stays down). */
  reconnect?: BackoffOptions;
  /** Give up after this many connection failures in a row (default: never). */
  maxReconnects?: number;
  /** Clock for updates that carry no time of their own. */
  now?: () => Date;
  maxNamesPerCertificate?: number;
  onProgress?: (progress: CertstreamProgress) => void;
}

const UpdateSchema = z.looseObject({
  message_type: z.literal("certificate_update"),
  data: z.looseObject({
    update_type: z.string().max(100).optional(),
    cert_index: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    seen: z.number().nonnegative().max(8.64e12).optional(),
    leaf_cert: z.looseObject({ all_domains: z.array(z.string().max(4096)) }),
    source: z.looseObject({ url: z.string().min(1).max(2048) }),
  }),
});
const MessageTypeSchema = z.looseObject({ message_type: z.string().max(100) });

const ENTRY_TYPES: Record<string, string> = {
  X509LogEntry: "x509",
  PrecertLogEntry: "precert",
};

/**
 * Follows a certstream-style WebSocket feed (certstream-server, certstream-go) and yields
 * a `domain` observation for every name of every `certificate_update`; heartbeats and
 * other message types are skipped. Observations say where the certificate was logged:
 * source `certstream:<log url>#<index>`, data `{ log, index, entryType }`, time `seen`.
 *
 * A message that is not JSON or not an update of the expected shape becomes a problem;
 * a message over the size limit makes the feed's connection close (ws refuses to buffer
 * it), which is reported. A dropped connection is re-opened after a growing wait; a feed
 * offers no way to catch up, so what passed meanwhile is missed (use `followCtLogs` for
 * completeness). Stops when `signal` aborts, after `maxEntries` updates, or after
 * `maxReconnects` failures in a row.
 */
export async function* followCertstream(options: CertstreamOptions): AsyncGenerator<SourceItem> {
  const url = new URL(options.url);
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new VigilError(
      "VIGIL_ERR_CONFIG_INVALID",
      `${options.url}: a feed URL is ws:// or wss://`,
    );
  }
  const feed = url.href;
  const maxBytes = options.maxMessageBytes ?? MAX_CERTSTREAM_MESSAGE_BYTES;
  const maxNames = options.maxNamesPerCertificate ?? MAX_NAMES_PER_CERTIFICATE;
  const now = options.now ?? (() => new Date());
  const reconnect = options.reconnect ?? DEFAULT_RECONNECT;
  const signal = options.signal;
  const progress: CertstreamProgress = {
    messages: 0,
    entries: 0,
    names: 0,
    reconnects: 0,
    connected: false,
  };
  const report = () => options.onProgress?.({ ...progress });
  const problem = (code: ItemProblem["code"], message: string): SourceItem => ({
    problem: { item: `certstream ${feed}`, code, message },
  });
  /** Connection attempts in a row that delivered nothing. */
  let failures = 0;
  /** Whether the current outage has been reported (once per outage, not per retry). */
  let reported = false;
  // A function, not a narrowed property: the signal changes under our feet.
  const aborted = () => signal?.aborted === true;

  while (!aborted()) {
    const socket = new WebSocket(feed, {
      maxPayload: maxBytes,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      headers: { "user-agent": "vigil (certificate transparency monitor)" },
    });
    const inbox: Buffer[] = [];
    let closed: { code: number; reason: string } | undefined;
    let error: Error | undefined;
    let wake: (() => void) | undefined;
    const poke = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    socket.on("open", () => {
      progress.connected = true;
      report();
    });
    socket.on("message", (data: WebSocket.RawData) => {
      inbox.push(
        Buffer.isBuffer(data)
          ? data
          : Array.isArray(data)
            ? Buffer.concat(data)
            : Buffer.from(data),
      );
      if (inbox.length >= HIGH_WATER) socket.pause();
      poke();
    });
    socket.on("error", (err) => {
      error = err;
      poke();
    });
    socket.on("close", (code, reason) => {
      closed = { code, reason: reason.toString("utf8").slice(0, 200) };
      progress.connected = false;
      poke();
    });
    const onAbort = () => socket.terminate();
    signal?.addEventListener("abort", onAbort, { once: true });
    let stop = false;
    let received = 0;
    try {
      while (!stop) {
        const raw = inbox.shift();
        if (raw === undefined) {
          if (closed !== undefined || aborted()) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        if (inbox.length <= LOW_WATER && socket.isPaused) socket.resume();
        received++;
        progress.messages++;
        const message = readMessage(raw, progress.messages, feed, maxNames, now);
        for (const item of message.items) {
          if ("observation" in item) progress.names++;
          yield item;
        }
        if (progress.messages % 100 === 0) report();
        if (message.update) {
          progress.entries++;
          if (options.maxEntries !== undefined && progress.entries >= options.maxEntries) {
            stop = true;
          }
        }
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (closed === undefined) socket.terminate();
    }
    report();
    if (stop || aborted()) return;

    // The connection failed or ended: say why (once per outage), then wait and reconnect.
    if (received > 0) {
      failures = 0;
      reported = false;
    } else failures++;
    // ws refuses an oversized message with this error and closes with 1009 (RFC 6455 §7.4.1).
    const tooBig =
      closed?.code === 1009 ||
      (error as NodeJS.ErrnoException | undefined)?.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";
    const why = tooBig
      ? `a message was over the limit of ${maxBytes} bytes; the connection was closed`
      : (error?.message ?? `the feed closed the connection (code ${closed?.code ?? "none"})`);
    const refused = /Unexpected server response: (4\d\d)/.exec(error?.message ?? "");
    if (refused !== null && refused[1] !== "429") {
      yield problem("VIGIL_ERR_FEED_CONNECT", `${feed}: ${why}; not retried`);
      return;
    }
    if (options.maxReconnects !== undefined && failures > options.maxReconnects) {
      yield problem("VIGIL_ERR_FEED_CONNECT", `${feed}: ${why}; gave up after ${failures} tries`);
      return;
    }
    if (tooBig) {
      yield problem("VIGIL_ERR_FEED_MESSAGE", `${feed}: ${why}; reconnecting`);
    } else if (!reported) {
      reported = true;
      yield problem("VIGIL_ERR_FEED_CONNECT", `${feed}: ${why}; reconnecting`);
    }
    progress.reconnects++;
    if (!(await sleep(backoffDelay(Math.max(0, failures - 1), reconnect), signal))) return;
  }
}

/**
 * The items of one message (observations of its names, or a problem; nothing for a
 * heartbeat) and whether it was a certificate update.
 */
function readMessage(
  raw: Buffer,
  number: number,
  feed: string,
  maxNames: number,
  now: () => Date,
): { update: boolean; items: SourceItem[] } {
  const item = `certstream ${feed} message ${number}`;
  const bad = (message: string) => ({
    update: false,
    items: [{ problem: { item, code: "VIGIL_ERR_FEED_MESSAGE" as const, message } }],
  });
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return bad(`not JSON (${raw.length} bytes)`);
  }
  const type = MessageTypeSchema.safeParse(json);
  if (!type.success) return bad("no message_type");
  // Heartbeats keep the connection alive; other types (dns_entries, …) carry no index.
  if (type.data.message_type !== "certificate_update") return { update: false, items: [] };
  const update = UpdateSchema.safeParse(json);
  if (!update.success) {
    const issue = update.error.issues[0];
    return bad(`not a certificate update: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const { data } = update.data;
  const log = data.source.url;
  const names = data.leaf_cert.all_domains;
  const entryType = ENTRY_TYPES[data.update_type ?? ""];
  const certificate = `certstream:${log}#${data.cert_index}`;
  const items = [
    ...domainItems(names.slice(0, maxNames), {
      item: certificate,
      data: { log, index: data.cert_index, ...(entryType === undefined ? {} : { entryType }) },
      observedAt: (data.seen === undefined ? now() : new Date(data.seen * 1000)).toISOString(),
    }),
  ];
  if (names.length > maxNames) {
    items.push({
      problem: {
        item: certificate,
        code: "VIGIL_ERR_FEED_MESSAGE",
        message: `${names.length} names in one certificate; only the first ${maxNames} were read`,
      },
    });
  }
  return { update: true, items };
}
