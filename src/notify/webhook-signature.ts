import { createHmac, timingSafeEqual } from "node:crypto";

/** Header with the Unix time (seconds) the webhook was signed at. */
export const WEBHOOK_TIMESTAMP_HEADER = "x-vigil-timestamp";
/** Header with the signature: `v1=` and the hex HMAC-SHA256 of `timestamp.body`. */
export const WEBHOOK_SIGNATURE_HEADER = "x-vigil-signature";
/**
 * How far a webhook's timestamp may be from the receiver's clock, in seconds: a captured
 * request replayed later than this is refused. Five minutes allows for clock drift and
 * a slow network, and is what Stripe and Slack use for the same scheme.
 */
export const MAX_WEBHOOK_SKEW_SECONDS = 300;
/** Shortest secret accepted: 16 bytes of a random secret cannot be brute-forced offline. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * The signature of a webhook body: HMAC-SHA256 keyed with the secret over the timestamp,
 * a dot, and the exact body bytes (`v1=<hex>`). The timestamp is inside the MAC, so it
 * cannot be changed to make an old request look new.
 */
export function signWebhook(secret: string, body: string | Buffer, timestamp: number): string {
  const mac = createHmac("sha256", secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `v1=${mac.digest("hex")}`;
}

export interface VerifyWebhookInput {
  secret: string;
  /** The request body exactly as received (before any JSON parsing). */
  body: string | Buffer;
  /** The `X-Vigil-Timestamp` header. */
  timestamp: string | undefined;
  /** The `X-Vigil-Signature` header. */
  signature: string | undefined;
  /** The receiver's clock; defaults to the system clock. */
  now?: Date;
  /** Seconds of skew allowed; default `MAX_WEBHOOK_SKEW_SECONDS`. */
  toleranceSeconds?: number;
}

export type VerifyWebhookResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "missing-headers" | "bad-timestamp" | "stale" | "bad-signature" };

/**
 * Checks a webhook from Vigil, for receivers: the signature must match the body and the
 * timestamp, compared in constant time, and the timestamp must be within
 * `toleranceSeconds` of now (in either direction), so a replayed request is refused.
 *
 * @example
 * const check = verifyWebhook({
 *   secret: process.env.VIGIL_WEBHOOK_SECRET!,
 *   body: rawBody,
 *   timestamp: req.headers["x-vigil-timestamp"],
 *   signature: req.headers["x-vigil-signature"],
 * });
 * if (!check.ok) return res.writeHead(401).end(check.reason);
 */
export function verifyWebhook(input: VerifyWebhookInput): VerifyWebhookResult {
  const { timestamp, signature } = input;
  if (timestamp === undefined || signature === undefined) {
    return { ok: false, reason: "missing-headers" };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "bad-timestamp" };
  const seconds = Number(timestamp);
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const tolerance = input.toleranceSeconds ?? MAX_WEBHOOK_SKEW_SECONDS;
  if (Math.abs(now - seconds) > tolerance) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signWebhook(input.secret, input.body, seconds));
  // Several signatures may be sent while a secret is rotated: any one may match.
  for (const candidate of signature.split(/[\s,]+/).slice(0, 5)) {
    const given = Buffer.from(candidate);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { ok: true, timestamp: seconds };
    }
  }
  return { ok: false, reason: "bad-signature" };
}
