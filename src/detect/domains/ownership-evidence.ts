import { type Evidence, type Finding, type Reason, severityFor } from "../../model/index.js";
import { round } from "./domains-features.js";
import {
  corporateRegistrar,
  isSharedMailServer,
  isSharedNameServer,
  normaliseHost,
} from "./shared-providers.js";

/** What DNS said about a lookalike candidate's registrable domain. */
export interface CandidateDnsFacts {
  /** Name servers (NS of the registrable domain). */
  ns: readonly string[];
  /** Mail exchangers (the MX hosts, without priorities). */
  mx: readonly string[];
}

/** What DNS said about the protected domain a finding names, and the outlet's domains. */
export interface OutletDnsFacts extends CandidateDnsFacts {
  /**
   * The outlet's registrable domains (`bloomberg.com`): a candidate's server under one of
   * them is claimed to be run by the outlet.
   */
  domains: readonly string[];
}

/**
 * What a candidate's own zone claims about the outlet: its NS and MX answers, which the
 * candidate's owner writes as they please. None of it is evidence by itself.
 */
export interface OwnershipClaims {
  /** The candidate's name servers under the outlet's domains: the only claims that can be verified. */
  nsUnderOutlet: string[];
  /** The candidate's mail servers under the outlet's domains. */
  mxUnderOutlet: string[];
  /** The candidate's MX hosts when they are the outlet's set, of no shared provider. */
  sameMx: string[];
  /** The candidate's NS hosts when they are the outlet's set, of no shared provider. */
  sameNs: string[];
}

/**
 * What asking one of the candidate's name servers directly said (see `verifiedOwnership`).
 * Built by the pipeline from the answers; absent fields were not asked.
 */
export interface NameServerCheck {
  /** The name server, as the candidate's NS answer names it. */
  host: string;
  /** The address asked (the host's A or AAAA, resolved through the outlet's zone). */
  address?: string;
  /** The SOA the server answered for the candidate's domain (`primary admin serial`). */
  candidateSoa?: string;
  /**
   * The SOA the same server answered for the outlet's own zone, the one its host name
   * lies under (`ns1.bloomberg.com` → `bloomberg.com`).
   */
  outletSoa?: string;
  /** Whether it also answered the SOA of a control zone it cannot serve (an open resolver does). */
  answersControl?: boolean;
  /** Why the check did not finish (no address, a timeout, a failure). */
  unverified?: string;
}

/** A name server of the outlet shown, by its own answer, to serve the candidate's zone. */
export interface VerifiedOwnership {
  host: string;
  address: string;
  soa: string;
}

/** Rule name of the reason added to a finding whose ownership by the outlet was verified. */
export const OWNED_BY_OUTLET_RULE = "owned-by-outlet";

/**
 * Weight of `owned-by-outlet`: enough to take the strongest name-only score (0.97) below
 * the default threshold (0.5). Given only for verified evidence (`verifiedOwnership`).
 */
export const OWNED_BY_OUTLET_WEIGHT = -0.6;

/** Rule name of the reason added to a finding held at the outlet's corporate registrar. */
export const HELD_AT_OUTLET_REGISTRAR_RULE = "held-at-outlet-registrar";

/**
 * Weight of `held-at-outlet-registrar`: takes a tld-swap (0.95) under the default
 * threshold (0.5), a little less than a verified name server, since it tells who
 * registered the name for a company, not which company.
 */
export const HELD_AT_OUTLET_REGISTRAR_WEIGHT = -0.5;

/** The registrar of a domain as RDAP names it. */
export interface RegistrarFacts {
  name?: string;
  ianaId?: string;
}

/** A corporate registrar holding both the candidate and the outlet's domain. */
export interface SharedRegistrar {
  registrar: string;
  /** The registrar's IANA id, when both answers gave it. */
  ianaId?: string;
  /** The registrar's name in the candidate's answer. */
  candidateName: string;
}

/** Rule name of the weight-0 reason telling what the candidate's zone claims, unverified. */
export const OUTLET_SERVERS_CLAIMED_RULE = "outlet-servers-claimed";

/** The control zone a name server of an outlet cannot be authoritative for (RFC 2606's registry). */
export const OWNERSHIP_CONTROL_ZONE = "iana.org";

/**
 * What a candidate's zone claims about an outlet, from the NS and MX answers. Pure; host
 * names are compared in lower case without trailing dots.
 *
 * - a name or mail server of the candidate under one of the outlet's registrable domains
 *   (`ns1.bloomberg.com` listed for `bloomberg.net`);
 * - the same MX set as the protected domain, none of a shared mail provider (Google,
 *   Microsoft, Proofpoint …);
 * - the same NS set, none of a shared DNS provider (Cloudflare, Route 53 …).
 *
 * These are claims, not evidence: the candidate's owner writes its zone, and pointing
 * MX at `mx.bloomberg.com` or listing `ns1.bloomberg.com` costs an attacker nothing.
 * Only the name servers in `nsUnderOutlet` can be verified (`verifiedOwnership`).
 * Returns `undefined` when the zone claims nothing (an empty answer claims nothing).
 *
 * @example
 * ownershipClaims(
 *   { ns: ["ns1.bloomberg.com."], mx: [] },
 *   { domains: ["bloomberg.com"], ns: [], mx: [] },
 * ); // { nsUnderOutlet: ["ns1.bloomberg.com"], mxUnderOutlet: [], sameMx: [], sameNs: [] }
 */
export function ownershipClaims(
  candidate: CandidateDnsFacts,
  outlet: OutletDnsFacts,
): OwnershipClaims | undefined {
  const ns = hostSet(candidate.ns);
  const mx = hostSet(candidate.mx);
  const domains = [...hostSet(outlet.domains)].filter((d) => d !== "");
  const under = (host: string) => domains.some((d) => host === d || host.endsWith(`.${d}`));
  const claims: OwnershipClaims = {
    nsUnderOutlet: [...ns].filter(under),
    mxUnderOutlet: [...mx].filter(under),
    sameMx: sameSet(mx, hostSet(outlet.mx)) && ![...mx].some(isSharedMailServer) ? [...mx] : [],
    sameNs: sameSet(ns, hostSet(outlet.ns)) && ![...ns].some(isSharedNameServer) ? [...ns] : [],
  };
  return Object.values(claims).some((hosts) => hosts.length > 0) ? claims : undefined;
}

/**
 * The verified ownership among the checks of the candidate's name servers, or undefined.
 * A name server under the outlet's domain is verified when, asked directly at its own
 * address, it answered the candidate's SOA (it serves the candidate's zone: the
 * candidate's owner cannot make the outlet's server do that), did not answer the SOA of
 * `OWNERSHIP_CONTROL_ZONE` (an open resolver answers everything, so its SOA answer proves
 * nothing), and gives the candidate's zone the same primary server as the outlet's own
 * zone (`sameSoaPrimary`): an outlet's "own" name servers may be a DNS provider's under
 * vanity names, serving every customer's zones, an attacker's too, and such zones name
 * the provider's primary, not the outlet's. Its address comes from the outlet's zone,
 * which the candidate's owner cannot change. A check of a server not in
 * `claims.nsUnderOutlet` never counts.
 */
export function verifiedOwnership(
  claims: OwnershipClaims,
  checks: readonly NameServerCheck[],
): VerifiedOwnership | undefined {
  const listed = new Set(claims.nsUnderOutlet);
  for (const check of checks) {
    const host = normaliseHost(check.host);
    if (
      listed.has(host) &&
      check.unverified === undefined &&
      check.address !== undefined &&
      check.candidateSoa !== undefined &&
      check.outletSoa !== undefined &&
      sameSoaPrimary(check.candidateSoa, check.outletSoa) &&
      check.answersControl === false
    ) {
      return { host, address: check.address, soa: check.candidateSoa };
    }
  }
  return undefined;
}

/** The primary server an SOA (`primary admin serial`) names, lower case without the final dot. */
export function soaPrimary(soa: string): string {
  return normaliseHost(soa.trim().split(/\s+/, 1)[0] ?? "");
}

/** Whether two SOAs name the same primary server (and name one at all). */
export function sameSoaPrimary(a: string, b: string): boolean {
  const primary = soaPrimary(a);
  return primary !== "" && primary === soaPrimary(b);
}

/**
 * The corporate registrar both names are held at, or undefined: both RDAP answers name a
 * registrar of `CORPORATE_REGISTRARS` and it is the same one (the same IANA id when both
 * answers give one). The registry, not the name's owner, says who the registrar is, and a
 * corporate registrar takes no anonymous customers; a retail registrar in common says
 * nothing, as anyone can register there.
 */
export function sharedCorporateRegistrar(
  candidate: RegistrarFacts | undefined,
  outlet: RegistrarFacts | undefined,
): SharedRegistrar | undefined {
  const registrar = corporateRegistrar(candidate?.name);
  if (registrar === undefined || corporateRegistrar(outlet?.name) !== registrar) return undefined;
  const ids = [candidate?.ianaId, outlet?.ianaId];
  if (ids.every((id) => id !== undefined) && ids[0] !== ids[1]) return undefined;
  return {
    registrar,
    ...(candidate?.ianaId === undefined || outlet?.ianaId === undefined
      ? {}
      : { ianaId: candidate.ianaId }),
    candidateName: (candidate?.name ?? registrar).slice(0, 200),
  };
}

/**
 * The finding scored down by `held-at-outlet-registrar`, with the registrar as evidence;
 * the id is kept, as by `withOwnership`.
 */
export function withRegistrarOwnership(
  finding: Finding,
  shared: SharedRegistrar,
  protectedDomain: string,
): Finding {
  const reason: Reason = {
    rule: HELD_AT_OUTLET_REGISTRAR_RULE,
    feature: `${finding.subject} and ${protectedDomain} are both registered through ${shared.registrar}${shared.ianaId === undefined ? "" : ` (IANA id ${shared.ianaId})`}`,
    weight: HELD_AT_OUTLET_REGISTRAR_WEIGHT,
    explanation:
      "Checked over RDAP with --check-ownership: the registries name the same corporate registrar for both, which registers names for companies under contract and takes no anonymous customers, so the name is most likely held by the outlet (scored down, not ignored).",
  };
  const added: Evidence = {
    type: "registrar",
    value: shared.candidateName,
    note: `corporate registrar of both ${finding.subject} and ${protectedDomain}`,
  };
  return scoredDown(finding, reason, added);
}

/**
 * The finding scored down by `owned-by-outlet`: the reason, the verified server (its
 * name, address and the SOA it answered) as evidence, the score lowered by
 * `OWNED_BY_OUTLET_WEIGHT` (never below 0) and the severity recomputed. The id is kept:
 * it is the same finding, now explained.
 */
export function withOwnership(
  finding: Finding,
  verified: VerifiedOwnership,
  protectedDomain: string,
): Finding {
  const reason: Reason = {
    rule: OWNED_BY_OUTLET_RULE,
    feature:
      `name server ${verified.host} (${verified.address}) of the outlet answers the SOA of ${finding.subject}: ${verified.soa}`.slice(
        0,
        1000,
      ),
    weight: OWNED_BY_OUTLET_WEIGHT,
    explanation: `Verified: the outlet's own name server, asked at the address the outlet's zone gives it, serves this zone with the same primary server as the outlet's own zone, and does not answer for ${OWNERSHIP_CONTROL_ZONE}, so it is no open resolver (checked with --check-ownership; scored down, not ignored).`,
  };
  const added: Evidence = {
    type: "owner-name-server",
    value: verified.host,
    note: `verified for ${protectedDomain}: asked at ${verified.address}, answered SOA ${verified.soa}`.slice(
      0,
      1000,
    ),
  };
  return scoredDown(finding, reason, added);
}

/** The finding with `reason` and `added` appended, its score lowered by the reason's weight (never below 0). */
function scoredDown(finding: Finding, reason: Reason, added: Evidence): Finding {
  const score = round(Math.max(0, finding.score + reason.weight));
  return {
    ...finding,
    score,
    severity: severityFor(score),
    reasons: [...finding.reasons, reason],
    evidence: [...finding.evidence, added],
  };
}

/**
 * The finding with a weight-0 `outlet-servers-claimed` reason: what the candidate's zone
 * claims and why it is not believed. Score and severity are unchanged: the zone is the
 * candidate owner's to write, so an attacker could claim the outlet's servers at no cost.
 */
export function withOwnershipClaims(
  finding: Finding,
  claims: OwnershipClaims,
  checks: readonly NameServerCheck[],
  protectedDomain: string,
): Finding {
  const said = [
    ...claims.nsUnderOutlet.map((h) => `name server ${h} (under the outlet's domain)`),
    ...claims.mxUnderOutlet.map((h) => `mail server ${h} (under the outlet's domain)`),
    ...(claims.sameMx.length > 0
      ? [`the same mail servers as ${protectedDomain} (${claims.sameMx.join(", ")})`]
      : []),
    ...(claims.sameNs.length > 0
      ? [`the same name servers as ${protectedDomain} (${claims.sameNs.join(", ")})`]
      : []),
  ];
  const why = checks.map((c) => `${c.host}: ${c.unverified ?? "not verified"}`);
  const reason: Reason = {
    rule: OUTLET_SERVERS_CLAIMED_RULE,
    feature: `its zone claims ${said.join("; ")}`.slice(0, 1000),
    weight: 0,
    explanation: (
      "Unverified, not scored: the NS and MX records are written by whoever controls this name, so anyone can list the outlet's servers. " +
      (why.length > 0
        ? `Asked directly, the outlet's name servers did not confirm serving it (${why.join("; ")}).`
        : "No name server under the outlet's domain is listed, so nothing could be verified.")
    ).slice(0, 2000),
  };
  return { ...finding, reasons: [...finding.reasons, reason] };
}

function hostSet(hosts: readonly string[]): Set<string> {
  return new Set(hosts.map(normaliseHost).filter((h) => h !== ""));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size > 0 && a.size === b.size && [...a].every((h) => b.has(h));
}
