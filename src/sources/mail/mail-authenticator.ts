import { type ARCData, arc, type DNSResolver, dkimVerify, dmarc, spf } from "mailauth";
import {
  type AuthResult,
  AuthResultSchema,
  type AuthVerdict,
  type EmailAuth,
} from "../../model/index.js";
import { parseAuthenticationResults } from "./authentication-results.js";
import type { DnsResolver } from "./cached-resolver.js";

/** Time all checks of one message may take: a message with dozens of signatures waits no longer. */
export const MAX_AUTH_MS = 20_000;
/** Authentication-Results headers read per message (a hostile message may carry thousands). */
const MAX_AR_HEADERS = 50;

export interface MailAuthOptions {
  /**
   * DNS look-ups for SPF, DKIM, DMARC and ARC (see `cachedResolver`). Without one,
   * nothing is verified: only trusted Authentication-Results headers are read.
   */
  resolver?: DnsResolver;
  /**
   * Authserv-ids (RFC 8601) of the user's own mail servers: their Authentication-Results
   * headers are read, and the Received header they wrote gives SPF the client's address.
   * Headers from anyone else are ignored, as a sender can write any header it likes.
   */
  trustedAuthservIds?: readonly string[];
  /** The connecting client's IP address, when known (live delivery): SPF is checked against it. */
  clientIp?: string;
  /** Envelope sender (MAIL FROM) when known; otherwise the Return-Path header's. */
  mailFrom?: string;
  /** Name this checker writes as its own authserv-id (mailauth's `mta`). */
  mta?: string;
  timeoutMs?: number;
}

const notChecked = (detail: string): AuthVerdict => ({ source: "not-checked", detail });

/**
 * Sender authentication of one message, each verdict with its source: a trusted
 * Authentication-Results header wins (it was checked at delivery, with the DNS of that
 * day), then Vigil's own check with mailauth, else `not-checked` and why. SPF needs the
 * client's address: given, or read from the Received header a trusted server wrote.
 * Never throws: a failure of the checks is a `not-checked` verdict naming it.
 */
export async function authenticateMail(
  raw: Buffer,
  headers: ReadonlyArray<{ key: string; value: string }>,
  options: MailAuthOptions,
): Promise<EmailAuth> {
  const trusted = new Set((options.trustedAuthservIds ?? []).map((id) => id.toLowerCase()));
  const fromHeader = trustedHeaderVerdicts(headers, trusted);
  let verified: Partial<EmailAuth> = {};
  let failure: string | undefined;
  if (options.resolver !== undefined) {
    try {
      verified = await withDeadline(
        verify(raw, headers, trusted, options.resolver, options),
        options.timeoutMs ?? MAX_AUTH_MS,
      );
    } catch (err) {
      failure = `checks failed: ${(err as Error).message}`.slice(0, 500);
    }
  }
  const pick = (method: keyof EmailAuth, why: string): AuthVerdict =>
    fromHeader[method] ?? verified[method] ?? notChecked(failure ?? why);
  const noDns = "no DNS resolver given and no trusted Authentication-Results header";
  return {
    spf: pick(
      "spf",
      options.resolver === undefined
        ? noDns
        : "the client's IP address is unknown (give it, or trust the server that received the message)",
    ),
    dkim: pick("dkim", noDns),
    dmarc: pick("dmarc", noDns),
    arc: pick("arc", noDns),
  };
}

/** Verdicts from the topmost Authentication-Results header of each trusted server. */
function trustedHeaderVerdicts(
  headers: ReadonlyArray<{ key: string; value: string }>,
  trusted: ReadonlySet<string>,
): Partial<EmailAuth> {
  const out: Partial<EmailAuth> = {};
  if (trusted.size === 0) return out;
  const seen = new Set<string>();
  let read = 0;
  for (const header of headers) {
    if (header.key !== "authentication-results") continue;
    if (++read > MAX_AR_HEADERS) break;
    const parsed = parseAuthenticationResults(header.value);
    if (parsed === undefined || !trusted.has(parsed.authservId) || seen.has(parsed.authservId))
      continue;
    seen.add(parsed.authservId);
    for (const method of ["spf", "dkim", "dmarc", "arc"] as const) {
      if (out[method] !== undefined) continue;
      const entries = parsed.results.filter((r) => r.method === method);
      // Of several DKIM signatures, a pass is what DMARC and a reader care about.
      const entry = entries.find((r) => r.result === "pass") ?? entries[0];
      if (entry === undefined) continue;
      const result = AuthResultSchema.safeParse(
        entry.result === "hardfail" ? "fail" : entry.result,
      );
      const domain =
        entry.props["header.d"] ??
        entry.props["header.from"] ??
        entry.props["smtp.mailfrom"]?.split("@").pop();
      out[method] = {
        source: "trusted-header",
        authservId: parsed.authservId,
        ...(result.success ? { result: result.data } : { detail: `result "${entry.result}"` }),
        ...(domain === undefined ? {} : { domain: domain.slice(0, 255) }),
        ...(entry.props["policy.dmarc"] === undefined
          ? {}
          : { policy: entry.props["policy.dmarc"].slice(0, 50) }),
        ...(entry.reason === undefined ? {} : { detail: entry.reason.slice(0, 2000) }),
      };
    }
  }
  return out;
}

async function verify(
  raw: Buffer,
  headers: ReadonlyArray<{ key: string; value: string }>,
  trusted: ReadonlySet<string>,
  resolver: DnsResolver,
  options: MailAuthOptions,
): Promise<Partial<EmailAuth>> {
  // mailauth's resolver type is narrower than what a resolver returns; it only reads answers.
  const dns = resolver as DNSResolver;
  const dkimResult = await dkimVerify(raw, { resolver: dns });
  const signatures = dkimResult.results ?? [];
  const best =
    signatures.find((s) => s.status.result === "pass" && s.status.aligned) ??
    signatures.find((s) => s.status.result === "pass") ??
    signatures[0];
  const out: Partial<EmailAuth> = {};
  if (best !== undefined) {
    out.dkim = {
      source: "verified",
      ...resultOf(best.status.result),
      ...(best.signingDomain ? { domain: String(best.signingDomain).slice(0, 255) } : {}),
      ...(best.status.comment ? { detail: String(best.status.comment).slice(0, 2000) } : {}),
    };
  }

  const client = options.clientIp ?? receivedClient(headers, trusted)?.ip;
  let spfResult: Awaited<ReturnType<typeof spf>> | undefined;
  if (client !== undefined) {
    const sender = options.mailFrom ?? (dkimResult.envelopeFrom || undefined);
    spfResult = await spf({
      ip: client,
      ...(sender === undefined ? {} : { sender }),
      helo: receivedClient(headers, trusted)?.helo ?? `[${client}]`,
      mta: options.mta ?? "vigil",
      resolver: dns,
    });
    out.spf = {
      source: "verified",
      ...resultOf(spfResult.status.result),
      ...(spfResult.domain ? { domain: spfResult.domain.slice(0, 255) } : {}),
      ...(spfResult.status.comment
        ? { detail: String(spfResult.status.comment).slice(0, 2000) }
        : {}),
    };
  }

  const arcResult =
    dkimResult.arc === undefined
      ? undefined
      : await arc(dkimResult.arc as ARCData, { resolver: dns });
  if (arcResult !== undefined) {
    out.arc = {
      source: "verified",
      ...resultOf(arcResult.status.result),
      ...(arcResult.status.comment
        ? { detail: String(arcResult.status.comment).slice(0, 2000) }
        : {}),
    };
  }

  if (dkimResult.headerFrom !== undefined && dkimResult.headerFrom.length > 0) {
    const dmarcResult = await dmarc({
      headerFrom: dkimResult.headerFrom,
      spfDomains:
        spfResult !== undefined && spfResult.status.result === "pass" ? [spfResult.domain] : [],
      dkimDomains: signatures
        .filter((s) => s.status.result === "pass")
        .map((s) => ({
          domain: s.signingDomain,
          ...(s.status.aligned === undefined ? {} : { aligned: s.status.aligned }),
          ...(s.status.underSized === undefined ? {} : { underSized: s.status.underSized }),
        })),
      ...(arcResult === undefined ? {} : { arcResult }),
      resolver: dns,
    });
    if (dmarcResult !== false) {
      out.dmarc = {
        source: "verified",
        ...resultOf(dmarcResult.status.result),
        ...(dmarcResult.domain ? { domain: dmarcResult.domain.slice(0, 255) } : {}),
        ...(dmarcResult.policy ? { policy: String(dmarcResult.policy).slice(0, 50) } : {}),
        ...(dmarcResult.status.comment
          ? { detail: String(dmarcResult.status.comment).slice(0, 2000) }
          : {}),
      };
    }
  }
  return out;
}

function resultOf(value: unknown): { result: AuthResult } | { detail: string } {
  const text = value === "temperr" ? "temperror" : String(value);
  const parsed = AuthResultSchema.safeParse(text);
  return parsed.success ? { result: parsed.data } : { detail: `result "${text.slice(0, 50)}"` };
}

/**
 * The client of the topmost Received header written by a trusted server (`by` one of its
 * names): the connecting IP and HELO name its own MX recorded. Headers below it were
 * written by servers the sender controls, so are not read.
 */
export function receivedClient(
  headers: ReadonlyArray<{ key: string; value: string }>,
  trusted: ReadonlySet<string>,
): { ip: string; helo?: string } | undefined {
  if (trusted.size === 0) return undefined;
  for (const header of headers) {
    if (header.key !== "received") continue;
    const value = header.value.slice(0, 4096);
    const by = /\bby\s+([^\s;()]+)/i.exec(value)?.[1]?.toLowerCase();
    if (by === undefined || !trusted.has(by)) return undefined;
    const ip = /\[(?:IPv6:)?([0-9a-fA-F:.]{2,45})\]/.exec(value)?.[1];
    if (ip === undefined) return undefined;
    const helo = /\bfrom\s+([^\s;()]+)/i.exec(value)?.[1];
    return { ip, ...(helo === undefined ? {} : { helo }) };
  }
  return undefined;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      timer.unref?.();
    }),
  ]).finally(() => clearTimeout(timer));
}
