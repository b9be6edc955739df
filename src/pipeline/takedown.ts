import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { isAbsolute, join, normalize } from "node:path";
import { getDomain } from "tldts";
import type { ItemProblem } from "../detect/index.js";
import type { RdapFacts, RdapNetworkFacts } from "../enrich/index.js";
import { VigilError } from "../errors.js";
import { type EvidenceVerification, readEvidenceLines, verifyEvidence } from "../evidence/index.js";
import type { Case, Finding } from "../model/index.js";
import type { Store } from "../store/index.js";
import type { PageSnapshot } from "./scan-site.js";
import { storedObservations } from "./stored-observations.js";

/** Findings read to find a case's own (the store's largest page). */
export const MAX_TAKEDOWN_FINDINGS = 100_000;
/** Page observations scanned for a case's captures. */
export const MAX_TAKEDOWN_PAGES_SCANNED = 200_000;
/** Captures listed per domain, the latest first. */
export const MAX_CAPTURES_PER_DOMAIN = 20;
/** Domains in one packet. */
export const MAX_TAKEDOWN_DOMAINS = 1_000;

/** Evidence types that name the suspect site (never the protected one). */
const SUSPECT_EVIDENCE = new Set([
  "candidate-domain",
  "domain",
  "host",
  "url",
  "page-url",
  "final-url",
  "site",
]);

/** One capture of a domain, with the hashes that tie it to the evidence log. */
export interface TakedownCapture {
  capturedAt: string;
  url: string;
  finalUrl: string;
  /** The address the page was fetched from (the one the SSRF guard checked). */
  address: string;
  status: number;
  title?: string;
  /** SHA-256 of the page body, as decoded. */
  pageSha256: string;
  warc: string;
  warcSha256: string;
  screenshot?: { file: string; sha256: string; copiedTo?: string };
  evidenceSeq: number;
  evidenceHash: string;
  /** Whether the evidence log (when read) holds this entry with this hash. */
  inEvidenceLog?: boolean;
  certificate?: {
    issuer: string;
    subject: string;
    validFrom: string;
    validTo: string;
    sha256: string;
    sans: string[];
  };
}

/** The IP network a capture's address belongs to (RDAP at capture time). */
export interface TakedownNetwork {
  address: string;
  outcome: RdapNetworkFacts["outcome"];
  queriedAt: string;
  name?: string;
  handle?: string;
  /** The network's country, or its holder's when the registry gives none. */
  country?: string;
  organisation?: string;
  cidr?: string[];
  /** The hosting network's abuse contact: where the host's complaint goes. */
  abuseEmail?: string;
  abusePhone?: string;
  problem?: string;
}

/** What an abuse desk needs about one domain of the case. */
export interface TakedownDomain {
  domain: string;
  /** Host names of the domain named by the findings or captured. */
  hosts: string[];
  /** The protected outlets (or people, organisations) it imitates, from the findings. */
  impersonates: Array<{ type: string; id?: string; name: string; domains: string[] }>;
  findings: Array<{
    id: string;
    kind: string;
    subject: string;
    score: number;
    severity: string;
    detector: string;
    reasons: string[];
    techniques: string[];
  }>;
  registration: {
    outcome: RdapFacts["outcome"] | "not-looked-up";
    queriedAt?: string;
    registrar?: string;
    registrarIanaId?: string;
    abuseEmail?: string;
    abusePhone?: string;
    created?: string;
    expires?: string;
    status: string[];
    privacyProxy?: boolean;
    privacyEvidence?: string;
    /** The registrant's country as RDAP gives it (a privacy service's, when proxied). */
    registrantCountry?: string;
    nameServers: string[];
    problem?: string;
  };
  hosting: {
    /** A and AAAA records at capture time, and the addresses the pages came from. */
    addresses: string[];
    /** The addresses the pages were fetched from (checked by the SSRF guard). */
    servedFrom: string[];
    nameServers: string[];
    mailServers: string[];
    cname: string[];
    /** The hosting networks in one line, or why they are not known. */
    network: string;
    /** Per address the pages came from: its IP network as RDAP gave it at capture. */
    networks: TakedownNetwork[];
  };
  captures: TakedownCapture[];
  /** What is not known, and how to learn it. */
  gaps: string[];
}

export interface TakedownPacket {
  caseId: string;
  title: string;
  generatedAt: string;
  /** A few plain sentences for the top of the request. */
  summary: string;
  case: Pick<Case, "grouping" | "key" | "createdAt"> & {
    actor?: string;
    confidence?: string;
    rationale?: string;
    findings: number;
  };
  /** The evidence folder's check, when it was read. */
  evidence?: { dir: string } & Pick<
    EvidenceVerification,
    "ok" | "entries" | "warcsChecked" | "screenshotsChecked" | "headHash" | "broken"
  >;
  domains: TakedownDomain[];
  /** Findings of the case that name no domain (a message, an account): listed, not packeted. */
  otherFindings: string[];
  /** Stored captures that could not be read (their data is damaged), by observation id. */
  unreadableCaptures?: string[];
}

export interface TakedownOptions {
  store: Store;
  caseId: string;
  /** The evidence folder of the captures (its log is checked and linked when it exists). */
  evidenceDir?: string;
  now?: () => Date;
}

/**
 * Gathers, per domain of a case, what a registrar, host or platform abuse desk needs:
 * registrar and abuse contact (RDAP at capture time), hosting addresses and name servers
 * (DNS at capture time), the outlet imitated (from the findings), the captures with their
 * page, WARC and screenshot hashes and evidence-log entries. Reads only the store and the
 * evidence folder: nothing is fetched. Findings are read generically (any kind whose
 * subject or suspect evidence is a host or URL), so site findings fit as lookalikes do.
 *
 * @throws VigilError `VIGIL_ERR_CLI_USAGE` when the case does not exist.
 */
export async function buildTakedownPacket(options: TakedownOptions): Promise<TakedownPacket> {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const cases = await store.listCases();
  const found = cases.find((c) => c.id === options.caseId);
  if (found === undefined) {
    const known = cases
      .slice(0, 10)
      .map((c) => `${c.id} (${c.title})`)
      .join(", ");
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `no case ${options.caseId}${known === "" ? ": the store has no cases" : `; cases: ${known}`}`,
    );
  }
  const wanted = new Set(found.findingIds);
  const findings = (await store.listFindings({ limit: MAX_TAKEDOWN_FINDINGS })).filter((f) =>
    wanted.has(f.id),
  );

  const domains = new Map<string, { hosts: Set<string>; findings: Finding[] }>();
  const otherFindings: string[] = [];
  for (const finding of findings) {
    const hosts = suspectHosts(finding);
    if (hosts.length === 0) {
      otherFindings.push(`${finding.id} (${finding.kind}: ${finding.subject.slice(0, 200)})`);
      continue;
    }
    for (const host of hosts) {
      const domain = getDomain(host) ?? host;
      let entry = domains.get(domain);
      if (entry === undefined) {
        if (domains.size >= MAX_TAKEDOWN_DOMAINS) break;
        entry = { hosts: new Set(), findings: [] };
        domains.set(domain, entry);
      }
      entry.hosts.add(host);
      if (!entry.findings.includes(finding)) entry.findings.push(finding);
    }
  }

  const observationIds = new Set(findings.flatMap((f) => f.observationIds));
  const unreadable: ItemProblem[] = [];
  const snapshots = await pageSnapshots(store, new Set(domains.keys()), observationIds, unreadable);

  let evidence: TakedownPacket["evidence"];
  let logged: Map<number, string> | undefined;
  if (options.evidenceDir !== undefined) {
    try {
      const v = await verifyEvidence(options.evidenceDir);
      evidence = {
        dir: options.evidenceDir,
        ok: v.ok,
        entries: v.entries,
        warcsChecked: v.warcsChecked,
        screenshotsChecked: v.screenshotsChecked,
        headHash: v.headHash,
        ...(v.broken === undefined ? {} : { broken: v.broken }),
      };
      logged = new Map();
      for (const line of await readEvidenceLines(options.evidenceDir)) {
        try {
          const e = JSON.parse(line) as { seq?: unknown; hash?: unknown };
          if (typeof e.seq === "number" && typeof e.hash === "string") logged.set(e.seq, e.hash);
        } catch {
          // A line that is not JSON is reported by the verification above.
        }
      }
    } catch {
      evidence = undefined;
    }
  }

  const packetDomains = [...domains.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([domain, { hosts, findings: own }]) =>
      domainPacket(domain, hosts, own, snapshots.get(domain) ?? [], logged),
    );
  const packet: TakedownPacket = {
    caseId: found.id,
    title: found.title,
    generatedAt: now().toISOString(),
    summary: "",
    case: {
      grouping: found.grouping,
      key: found.key,
      createdAt: found.createdAt,
      ...(found.actor === undefined ? {} : { actor: found.actor }),
      ...(found.confidence === undefined ? {} : { confidence: found.confidence }),
      ...(found.rationale === undefined ? {} : { rationale: found.rationale }),
      findings: findings.length,
    },
    ...(evidence === undefined ? {} : { evidence }),
    domains: packetDomains,
    otherFindings,
    ...(unreadable.length === 0
      ? {}
      : { unreadableCaptures: unreadable.map((p) => `${p.item}: ${p.message}`) }),
  };
  packet.summary = summaryOf(packet);
  return packet;
}

/** The hosts a finding names as the suspect: its subject, and suspect evidence. */
function suspectHosts(finding: Finding): string[] {
  const hosts = new Set<string>();
  const add = (value: string) => {
    const host = hostIn(value);
    if (host !== undefined) hosts.add(host);
  };
  add(finding.subject);
  for (const e of finding.evidence) if (SUSPECT_EVIDENCE.has(e.type)) add(e.value);
  return [...hosts];
}

/** The host of a URL or a bare host name; undefined for anything else. */
function hostIn(value: string): string | undefined {
  const text = value.trim().toLowerCase();
  if (/^https?:\/\//.test(text)) {
    try {
      return new URL(text).hostname.replace(/\.$/, "") || undefined;
    } catch {
      return undefined;
    }
  }
  return /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+(?:xn--[a-z0-9-]+|[a-z]{2,63})\.?$/.test(
    text,
  )
    ? text.replace(/\.$/, "")
    : undefined;
}

/** Page snapshots per registrable domain (or named by the findings), the latest first. */
async function pageSnapshots(
  store: Store,
  domains: ReadonlySet<string>,
  observationIds: ReadonlySet<string>,
  unreadable: ItemProblem[],
): Promise<Map<string, PageSnapshot[]>> {
  const out = new Map<string, PageSnapshot[]>();
  let scanned = 0;
  const query = { kind: "page" as const, pageSize: 5_000 };
  for await (const page of storedObservations(store, query, unreadable)) {
    scanned += page.length;
    for (const observation of page) {
      const snapshot = observation.data as unknown as PageSnapshot;
      if (typeof snapshot?.host !== "string" || typeof snapshot.evidence !== "object") continue;
      const domain = getDomain(snapshot.host) ?? snapshot.host;
      if (!domains.has(domain) && !observationIds.has(observation.id)) continue;
      const list = out.get(domain) ?? [];
      list.push(snapshot);
      out.set(domain, list);
    }
    if (scanned >= MAX_TAKEDOWN_PAGES_SCANNED) break;
  }
  for (const list of out.values()) list.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt));
  return out;
}

function domainPacket(
  domain: string,
  hosts: Set<string>,
  findings: Finding[],
  snapshots: PageSnapshot[],
  logged: Map<number, string> | undefined,
): TakedownDomain {
  for (const s of snapshots) hosts.add(s.host);
  const gaps: string[] = [];
  const withRdap =
    snapshots.find((s) => s.rdap?.outcome === "found") ?? snapshots.find((s) => s.rdap);
  const rdap = withRdap?.rdap;
  const registration: TakedownDomain["registration"] = {
    outcome: rdap?.outcome ?? "not-looked-up",
    status: [],
    nameServers: [],
  };
  if (rdap !== undefined) {
    registration.queriedAt = rdap.queriedAt;
    if (rdap.outcome === "found") {
      assign(registration, "registrar", rdap.registrar?.name);
      assign(registration, "registrarIanaId", rdap.registrar?.ianaId);
      assign(registration, "abuseEmail", rdap.abuse?.email);
      assign(registration, "abusePhone", rdap.abuse?.phone);
      assign(registration, "created", rdap.created);
      assign(registration, "expires", rdap.expires);
      registration.status = rdap.status;
      registration.nameServers = rdap.nameservers;
      registration.privacyProxy = rdap.privacy.proxied;
      assign(registration, "privacyEvidence", rdap.privacy.evidence);
      assign(registration, "registrantCountry", rdap.registrant?.country);
      if (rdap.abuse === undefined)
        gaps.push("RDAP names no abuse contact: write to the registrar's general contact");
    } else {
      registration.problem = rdap.message;
      gaps.push(`registration not known (RDAP ${rdap.outcome}: ${rdap.message})`);
    }
  } else {
    gaps.push(
      snapshots.length === 0
        ? `not captured: run vigil scan site https://${[...hosts][0] ?? domain}/ for DNS, RDAP, screenshots and WARC evidence`
        : "no RDAP look-up was made at capture (captured with --no-rdap, or before RDAP was added)",
    );
  }
  const addresses = new Set<string>();
  const servedFrom = new Set<string>();
  const nameServers = new Set<string>();
  const mailServers = new Set<string>();
  const cname = new Set<string>();
  for (const s of snapshots) {
    addresses.add(s.address);
    servedFrom.add(s.address);
    for (const a of [...(s.dns?.a ?? []), ...(s.dns?.aaaa ?? [])]) addresses.add(a);
    for (const n of s.dns?.ns ?? []) nameServers.add(n);
    for (const m of s.dns?.mx ?? []) mailServers.add(m.exchange);
    for (const c of s.dns?.cname ?? []) cname.add(c);
  }
  const networks = new Map<string, TakedownNetwork>();
  for (const s of snapshots) {
    const n = s.network;
    const known = n === undefined ? undefined : networks.get(n.address);
    if (n === undefined || (known !== undefined && known.outcome === "found")) continue;
    networks.set(n.address, networkOf(n));
  }
  if (snapshots.length > 0 && snapshots.every((s) => s.dns === undefined || s.dns.skipped)) {
    gaps.push("no DNS records at capture (captured with --no-dns, or a special-use name)");
  }
  const impersonates = new Map<string, TakedownDomain["impersonates"][number]>();
  for (const f of findings) {
    const protectedDomains = f.evidence
      .filter((e) => e.type.startsWith("protected-"))
      .map((e) => e.value);
    const key =
      f.target === undefined ? protectedDomains.join(",") : `${f.target.type}:${f.target.id}`;
    if (key === "") continue;
    const entry = impersonates.get(key) ?? {
      type: f.target?.type ?? "outlet",
      ...(f.target === undefined ? {} : { id: f.target.id }),
      name: f.target?.name ?? (protectedDomains[0] as string),
      domains: [],
    };
    for (const d of protectedDomains) if (!entry.domains.includes(d)) entry.domains.push(d);
    impersonates.set(key, entry);
  }
  return {
    domain,
    hosts: [...hosts].sort(),
    impersonates: [...impersonates.values()],
    findings: findings.map((f) => ({
      id: f.id,
      kind: f.kind,
      subject: f.subject,
      score: f.score,
      severity: f.severity,
      detector: `${f.detector} ${f.detectorVersion}`,
      reasons: f.reasons.map((r) => `${r.explanation} (${r.rule}: ${r.feature})`),
      techniques: f.techniques.map((t) => `${t.framework} ${t.id} ${t.name}`),
    })),
    registration,
    hosting: {
      addresses: [...addresses].sort(),
      servedFrom: [...servedFrom].sort(),
      nameServers: [...nameServers].sort(),
      mailServers: [...mailServers].sort(),
      cname: [...cname].sort(),
      network: networkLine([...networks.values()]),
      networks: [...networks.values()].sort((a, b) => a.address.localeCompare(b.address)),
    },
    captures: snapshots.slice(0, MAX_CAPTURES_PER_DOMAIN).map((s) => ({
      capturedAt: s.capturedAt,
      url: s.requestedUrl,
      finalUrl: s.finalUrl,
      address: s.address,
      status: s.status,
      ...(s.page?.title === undefined ? {} : { title: s.page.title }),
      pageSha256: s.sha256,
      warc: s.evidence.warc,
      warcSha256: s.evidence.warcSha256,
      ...(s.evidence.screenshot === undefined ? {} : { screenshot: { ...s.evidence.screenshot } }),
      evidenceSeq: s.evidence.seq,
      evidenceHash: s.evidence.hash,
      ...(logged === undefined
        ? {}
        : { inEvidenceLog: logged.get(s.evidence.seq) === s.evidence.hash }),
      ...(s.tls === undefined
        ? {}
        : {
            certificate: {
              issuer: s.tls.issuer,
              subject: s.tls.subject,
              validFrom: s.tls.validFrom,
              validTo: s.tls.validTo,
              sha256: s.tls.sha256 ?? s.tls.fingerprint256.replace(/:/g, "").toLowerCase(),
              sans: s.tls.sans ?? s.tls.subjectAltNames,
            },
          }),
    })),
    gaps,
  };
}

function networkOf(n: RdapNetworkFacts): TakedownNetwork {
  const out: TakedownNetwork = { address: n.address, outcome: n.outcome, queriedAt: n.queriedAt };
  if (n.outcome === "found") {
    assign(out, "name", n.name);
    assign(out, "handle", n.handle);
    assign(out, "country", n.country ?? n.organisationCountry);
    assign(out, "organisation", n.organisation);
    if (n.cidr.length > 0) out.cidr = n.cidr;
    assign(out, "abuseEmail", n.abuse?.email);
    assign(out, "abusePhone", n.abuse?.phone);
  } else out.problem = n.message;
  return out;
}

/** The hosting networks in one line for the packet's table. */
function networkLine(networks: readonly TakedownNetwork[]): string {
  if (networks.length === 0)
    return "not looked up at capture (captured with --no-rdap, or before network look-ups were added): look the addresses up at the regional internet registry's RDAP or whois";
  return networks
    .map((n) => {
      if (n.outcome !== "found") return `${n.address}: not known (RDAP ${n.outcome})`;
      const what = [n.name, n.organisation].filter((x) => x !== undefined).join(", ");
      const abuse = [n.abuseEmail, n.abusePhone].filter((x) => x !== undefined).join(", ");
      return `${n.address}: ${what || "unnamed network"}${n.country === undefined ? "" : `, ${n.country}`}${n.cidr === undefined ? "" : ` (${n.cidr.join(", ")})`}${abuse === "" ? "" : `; abuse ${abuse}`}`;
    })
    .join("; ");
}

function assign<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}

function summaryOf(packet: TakedownPacket): string {
  const n = packet.domains.length;
  if (n === 0) return `The case "${packet.title}" names no domain: there is nothing to take down.`;
  const outlets = [...new Set(packet.domains.flatMap((d) => d.impersonates.map((i) => i.name)))];
  const captured = packet.domains.flatMap((d) => d.captures.map((c) => c.capturedAt)).sort();
  const capturedDomains = packet.domains.filter((d) => d.captures.length > 0).length;
  const registrars = [
    ...new Set(packet.domains.map((d) => d.registration.registrar).filter((r) => r !== undefined)),
  ];
  const parts = [
    `${n === 1 ? `The domain ${packet.domains[0]?.domain}` : `${n} domains (${packet.domains.map((d) => d.domain).join(", ")})`} ${n === 1 ? "imitates" : "imitate"} ${outlets.length === 0 ? "a protected organisation" : outlets.join(" and ")} and ${n === 1 ? "is" : "are"} likely used to deceive readers ahead of an election.`,
  ];
  if (captured.length > 0) {
    parts.push(
      `${capturedDomains === n ? (n === 1 ? "The site was" : "The sites were") : `${capturedDomains} of the ${n} sites were`} captured ${captured.length === 1 ? `on ${captured[0]}` : `between ${captured[0]} and ${captured[captured.length - 1]}`}; each capture is preserved as a WARC file${packet.domains.some((d) => d.captures.some((c) => c.screenshot)) ? " with a screenshot" : ""}, whose SHA-256 is recorded in a hash-chained evidence log${packet.evidence === undefined ? "" : packet.evidence.ok ? " that verifies intact" : " (WHICH DOES NOT VERIFY: see below)"}.`,
    );
  } else {
    parts.push("No capture of the sites is stored yet.");
  }
  if (registrars.length > 0)
    parts.push(`Registrar${registrars.length > 1 ? "s" : ""}: ${registrars.join(", ")}.`);
  parts.push(
    "We ask the registrar, host or platform to review the facts below under its abuse policy and to suspend the domain or content.",
  );
  return parts.join(" ");
}

/** The packet as Markdown: the summary, then one section per domain (or one domain's). */
export function takedownMarkdown(packet: TakedownPacket, only?: TakedownDomain): string {
  const domains = only === undefined ? packet.domains : [only];
  const lines: string[] = [
    `# Takedown request: ${only === undefined ? packet.title : only.domain}`,
    "",
    packet.summary,
    "",
    `Case \`${packet.caseId}\` (${packet.case.findings} findings${packet.case.actor === undefined ? "" : `; attributed to ${packet.case.actor}, ${packet.case.confidence ?? "low"} confidence`}). Prepared ${packet.generatedAt} by Vigil.`,
  ];
  if (packet.evidence !== undefined) {
    const e = packet.evidence;
    lines.push(
      "",
      e.ok
        ? `Evidence log \`${e.dir}\`: intact, ${e.entries} entries, ${e.warcsChecked} WARC files and ${e.screenshotsChecked} screenshots checked, head hash \`${e.headHash}\`. Check it with \`vigil evidence verify ${e.dir}\`.`
        : `Evidence log \`${e.dir}\`: BROKEN at entry ${e.broken?.seq ?? "?"} (${e.broken?.reason ?? ""}).`,
    );
  }
  for (const d of domains) {
    lines.push("", `## ${d.domain}`, "");
    const r = d.registration;
    lines.push(
      "| | |",
      "| --- | --- |",
      row("Domain", d.domain),
      row("Hosts", d.hosts.join(", ")),
      row(
        "Impersonates",
        d.impersonates
          .map((i) => `${i.name}${i.domains.length > 0 ? ` (${i.domains.join(", ")})` : ""}`)
          .join("; ") || "—",
      ),
      row(
        "Registrar",
        r.registrar === undefined
          ? "—"
          : `${r.registrar}${r.registrarIanaId === undefined ? "" : ` (IANA ID ${r.registrarIanaId})`}`,
      ),
      row(
        "Abuse contact",
        [r.abuseEmail, r.abusePhone].filter((x) => x !== undefined).join(", ") || "—",
      ),
      row("Created", r.created ?? "—"),
      row("Expires", r.expires ?? "—"),
      row("Status", r.status.join(", ") || "—"),
      row(
        "Registrant",
        r.privacyProxy === undefined
          ? "—"
          : r.privacyProxy
            ? `hidden by a privacy/proxy service (${r.privacyEvidence ?? ""})`
            : `not hidden${r.registrantCountry === undefined ? "" : `, country ${r.registrantCountry}`}`,
      ),
      row("RDAP", `${r.outcome}${r.queriedAt === undefined ? "" : ` at ${r.queriedAt}`}`),
      row("Hosting addresses", d.hosting.addresses.join(", ") || "—"),
      row("Pages served from", d.hosting.servedFrom.join(", ") || "—"),
      row("Hosting network", d.hosting.network),
      row(
        "Name servers",
        (d.hosting.nameServers.length > 0 ? d.hosting.nameServers : r.nameServers).join(", ") ||
          "—",
      ),
      row("Mail servers", d.hosting.mailServers.join(", ") || "—"),
    );
    lines.push("", "### Why this domain is reported", "");
    for (const f of d.findings) {
      lines.push(
        `- **${f.kind}** \`${f.subject}\` — score ${f.score.toFixed(2)} (${f.severity}), ${f.detector}, finding \`${f.id}\``,
      );
      for (const reason of f.reasons) lines.push(`  - ${reason}`);
      if (f.techniques.length > 0) lines.push(`  - Techniques: ${f.techniques.join("; ")}`);
    }
    lines.push("", "### Captures", "");
    if (d.captures.length === 0) lines.push("None stored.");
    for (const c of d.captures) {
      lines.push(
        `- **${c.capturedAt}** ${c.finalUrl} — HTTP ${c.status} from ${c.address}${c.title === undefined ? "" : `, title “${c.title}”`}`,
        `  - page SHA-256 \`${c.pageSha256}\``,
        `  - WARC \`${c.warc}\` SHA-256 \`${c.warcSha256}\``,
        ...(c.screenshot === undefined
          ? ["  - no screenshot"]
          : [
              `  - screenshot \`${c.screenshot.copiedTo ?? c.screenshot.file}\` SHA-256 \`${c.screenshot.sha256}\``,
            ]),
        `  - evidence log entry ${c.evidenceSeq}, hash \`${c.evidenceHash}\`${c.inEvidenceLog === undefined ? "" : c.inEvidenceLog ? " (in the log)" : " (NOT in the log read)"}`,
        ...(c.certificate === undefined
          ? []
          : [
              `  - TLS certificate SHA-256 \`${c.certificate.sha256}\`, issuer ${c.certificate.issuer}, valid ${c.certificate.validFrom} to ${c.certificate.validTo}, names ${c.certificate.sans.join(", ")}`,
            ]),
      );
    }
    if (d.gaps.length > 0) {
      lines.push("", "### Not known", "");
      for (const gap of d.gaps) lines.push(`- ${gap}`);
    }
  }
  if (only === undefined && packet.otherFindings.length > 0) {
    lines.push("", "## Findings of the case that name no domain", "");
    for (const f of packet.otherFindings) lines.push(`- ${f}`);
  }
  if (packet.unreadableCaptures !== undefined) {
    lines.push("", "## Stored captures that could not be read", "");
    for (const c of packet.unreadableCaptures) lines.push(`- ${c}`);
  }
  return `${lines.join("\n")}\n`;
}

function row(name: string, value: string): string {
  return `| ${name} | ${value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")} |`;
}

/**
 * Writes the packet to `outDir`: `takedown.md` and `packet.json` for the whole case,
 * `<domain>.md` and `<domain>.json` for each domain (what goes to that domain's
 * registrar), and the screenshots copied under `screenshots/`, each checked against the
 * SHA-256 logged. Returns the files written.
 */
export async function writeTakedownPacket(
  packet: TakedownPacket,
  outDir: string,
  evidenceDir?: string,
): Promise<string[]> {
  const written: string[] = [];
  try {
    await mkdir(outDir, { recursive: true });
    if (evidenceDir !== undefined) {
      for (const d of packet.domains) {
        for (const c of d.captures) {
          if (c.screenshot === undefined) continue;
          const relative = normalize(c.screenshot.file);
          if (isAbsolute(relative) || relative.startsWith("..")) continue;
          const from = join(evidenceDir, relative);
          const bytes = await readFile(from).catch(() => undefined);
          if (bytes === undefined) continue;
          if (createHash("sha256").update(bytes).digest("hex") !== c.screenshot.sha256) {
            d.gaps.push(`screenshot ${relative} does not match its logged SHA-256: not copied`);
            continue;
          }
          const to = join("screenshots", relative.replace(/^screenshots[\\/]/, ""));
          await mkdir(join(outDir, "screenshots"), { recursive: true });
          await copyFile(from, join(outDir, to));
          c.screenshot.copiedTo = to;
          written.push(join(outDir, to));
        }
      }
    }
    const put = async (name: string, text: string) => {
      await writeFile(join(outDir, name), text);
      written.push(join(outDir, name));
    };
    await put("takedown.md", takedownMarkdown(packet));
    await put("packet.json", `${JSON.stringify(packet, null, 2)}\n`);
    for (const d of packet.domains) {
      const base = d.domain.replace(/[^a-z0-9.-]/gi, "_");
      await put(`${base}.md`, takedownMarkdown(packet, d));
      await put(
        `${base}.json`,
        `${JSON.stringify({ caseId: packet.caseId, summary: packet.summary, generatedAt: packet.generatedAt, evidence: packet.evidence, ...d }, null, 2)}\n`,
      );
    }
  } catch (err) {
    throw new VigilError(
      "VIGIL_ERR_EVIDENCE_WRITE",
      `cannot write the takedown packet in ${outDir}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return written;
}
