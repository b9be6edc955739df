import {
  type ItemProblem,
  type NameServerCheck,
  OWNERSHIP_CONTROL_ZONE,
  ownershipClaims,
  type SharedRegistrar,
  sameSoaPrimary,
  sharedCorporateRegistrar,
  soaPrimary,
  verifiedOwnership,
  withOwnership,
  withOwnershipClaims,
  withRegistrarOwnership,
} from "../detect/index.js";
import type {
  AskServer,
  DnsEnricher,
  DnsFacts,
  RdapEnricher,
  RdapFacts,
  ServerAnswer,
} from "../enrich/index.js";
import { type ErrorCode, VigilError } from "../errors.js";
import { type Finding, parseDomain, type Watchlist } from "../model/index.js";
import type { FindingReview } from "./pipeline.js";

/**
 * Look-ups one run may make: registrable domains (NS and MX each), name servers
 * verified (an address look-up and up to three SOA questions each) and RDAP questions.
 * A feed that yields a flood of findings (a watchlist with a short brand, a hostile list)
 * must not turn into a flood of queries. The names past it are left as they were and
 * counted.
 */
export const MAX_OWNERSHIP_LOOKUPS = 10_000;
/** Domains looked up at once within a batch: a resolver is not to be hammered. */
export const OWNERSHIP_LOOKUP_CONCURRENCY = 16;
/**
 * Name servers under the outlet's domain verified per finding: a hostile zone can list
 * dozens of NS records to make vigil ask dozens of servers; two real ones suffice.
 */
export const MAX_VERIFIED_SERVERS_PER_FINDING = 2;

/** Resolver codes by which a server says it does not serve a name (an answer, not a failure). */
const NOT_SERVED = new Set(["EREFUSED", "ENODATA", "ENOTFOUND", "NXDOMAIN", "ENONAME", "ENOTIMP"]);
/** Resolver codes meaning no answer came in time. */
const TIMED_OUT = new Set(["ETIMEOUT", "ECANCELLED"]);

/** How the ownership check of a run went. */
export interface OwnershipSummary {
  /** Findings whose candidate and protected domain were both answered, owned or not. */
  checked: number;
  /** Findings whose ownership by their outlet was verified (scored down, kept out of cases). */
  owned: number;
  /** Of `owned`, those shown by a corporate registrar in common (RDAP), not by a name server. */
  heldAtRegistrar: number;
  /** Findings whose zone claims the outlet's servers, unverified (noted at weight 0). */
  claimed: number;
  /** Findings left as they were: a look-up failed, was skipped, or the budget was spent. */
  notChecked: number;
  /** Look-ups made: registrable domains, name servers verified and RDAP questions. */
  lookups: number;
}

export interface OwnershipCheckOptions {
  /** Asks NS and MX (build it with `records: ["NS", "MX"]`); its timeout bounds each look-up. */
  dns: DnsEnricher;
  /**
   * Asks A and AAAA of the outlet's name servers (build it with `records: ["A", "AAAA"]`):
   * where they are is said by the outlet's zone, which the candidate's owner cannot change.
   */
  addresses: DnsEnricher;
  /** Asks one name server directly (`serverAsker({ timeoutMs })` in production). */
  askServer: AskServer;
  /** The port name servers are asked on (default 53; a lab's may listen elsewhere). */
  nameServerPort?: number;
  watchlist: Watchlist;
  /**
   * Asks RDAP who registered the candidate and the protected domain: when both are held
   * at the same corporate registrar, the finding is scored down (`held-at-outlet-registrar`).
   * Without it, only name servers are asked.
   */
  rdap?: Pick<RdapEnricher, "lookup">;
  /** Default `MAX_OWNERSHIP_LOOKUPS`. */
  maxLookups?: number;
}

/**
 * The opt-in ownership check of `scan domains --check-ownership`: for each lookalike
 * finding, NS and MX of the candidate's registrable domain and of the protected domain it
 * names (`ownershipClaims`). What the candidate's zone claims is never believed on its
 * own: its owner writes it. A claimed name server under the outlet's domain is asked
 * directly, at the address the outlet's zone gives it, for the candidate's SOA, for the
 * SOA of a control zone and for the SOA of the outlet's zone its name lies under
 * (`verifiedOwnership`); only when it serves the candidate, not the control zone, and
 * names the same primary server for the candidate as for the outlet's zone, is the
 * finding scored down (`owned-by-outlet`) and returned as `cleared`. With an RDAP
 * enricher, a finding whose name and protected domain the registries place at the same
 * corporate registrar is scored down too (`held-at-outlet-registrar`) and cleared.
 * Other claims add a weight-0 `outlet-servers-claimed` reason. A failed look-up is a
 * problem (`VIGIL_ERR_DNS_TIMEOUT`, `VIGIL_ERR_DNS_FAILED`, `VIGIL_ERR_RDAP_…`, one per
 * domain) and never lowers a score. Pass `review` to the pipeline.
 *
 * @example
 * const check = new OwnershipCheck({ dns, addresses, askServer: serverAsker(), watchlist });
 * await runPipeline(source, "scan domains", { store, detectors, review: check.review });
 * console.log(check.summary().owned, "verified as owned by their outlet");
 */
export class OwnershipCheck {
  readonly #dns: DnsEnricher;
  readonly #addresses: DnsEnricher;
  readonly #askServer: AskServer;
  readonly #rdap: Pick<RdapEnricher, "lookup"> | undefined;
  readonly #port: number;
  readonly #maxLookups: number;
  /** Outlet id → its registrable domains. */
  readonly #outletDomains = new Map<string, string[]>();
  readonly #asked = new Set<string>();
  /**
   * SOA answers of zones that do not depend on the candidate (the control zone, the
   * outlet's own zone) by server address and zone: one question each a run.
   */
  readonly #fixedSoa = new Map<string, Promise<ServerAnswer>>();
  /** Domains whose failed look-up was already reported (the enricher caches the failure). */
  readonly #reported = new Set<string>();
  #budgetReported = false;
  readonly #summary: OwnershipSummary = {
    checked: 0,
    owned: 0,
    heldAtRegistrar: 0,
    claimed: 0,
    notChecked: 0,
    lookups: 0,
  };

  constructor(options: OwnershipCheckOptions) {
    this.#dns = options.dns;
    this.#addresses = options.addresses;
    this.#askServer = options.askServer;
    this.#rdap = options.rdap;
    this.#port = options.nameServerPort ?? 53;
    if (!Number.isInteger(this.#port) || this.#port < 1 || this.#port > 65_535) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `ownership nameServerPort must be a port number (1..65535), not ${this.#port}`,
      );
    }
    this.#maxLookups = options.maxLookups ?? MAX_OWNERSHIP_LOOKUPS;
    if (!Number.isInteger(this.#maxLookups) || this.#maxLookups < 1) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `ownership maxLookups must be a whole number of at least 1, not ${this.#maxLookups}`,
      );
    }
    for (const outlet of options.watchlist.outlets) {
      if (outlet.id === undefined) continue;
      const domains = outlet.domains.flatMap((d) => {
        const parsed = parseDomain(d);
        return parsed.ok ? [parsed.domain.registrable] : [];
      });
      this.#outletDomains.set(outlet.id, domains);
    }
  }

  /** The counts so far (a copy). */
  summary(): OwnershipSummary {
    return { ...this.#summary };
  }

  /** Checks a batch's findings; for `PipelineOptions.review`. Never throws for DNS. */
  readonly review = async (findings: readonly Finding[]): Promise<FindingReview> => {
    const result: FindingReview = { findings: [], cleared: [], problems: [] };
    const judged = new Array<{ finding: Finding; owned: boolean }>(findings.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < findings.length; i = next++) {
        judged[i] = await this.#judge(findings[i] as Finding, result.problems);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(OWNERSHIP_LOOKUP_CONCURRENCY, findings.length) }, worker),
    );
    for (const { finding, owned } of judged)
      (owned ? result.cleared : result.findings).push(finding);
    return result;
  };

  /**
   * The finding, scored down when its outlet's server verifiably serves it or both names
   * are held at one corporate registrar, noted when only claimed.
   */
  async #judge(
    finding: Finding,
    problems: ItemProblem[],
  ): Promise<{ finding: Finding; owned: boolean }> {
    const unchanged = { finding, owned: false };
    const protectedDomain = finding.evidence.find((e) => e.type === "protected-domain")?.value;
    if (finding.kind !== "domain-lookalike" || protectedDomain === undefined) return unchanged;
    const candidate = parseDomain(finding.subject);
    const outlet = parseDomain(protectedDomain);
    if (!candidate.ok || !outlet.ok) return unchanged;
    const domains = [candidate.domain.registrable, outlet.domain.registrable];
    if (!domains.every((d) => this.#reserve(d))) {
      this.#summary.notChecked++;
      this.#reportBudget(finding.subject, problems);
      return unchanged;
    }
    const [ofCandidate, ofOutlet] = (await Promise.all(
      domains.map((d) => this.#dns.lookup(d)),
    )) as [DnsFacts, DnsFacts];
    const outletDomains = [
      outlet.domain.registrable,
      ...(this.#outletDomains.get(finding.target?.id ?? "") ?? []),
    ];
    const claims = ownershipClaims(
      { ns: ofCandidate.ns, mx: ofCandidate.mx.map((m) => m.exchange) },
      { domains: outletDomains, ns: ofOutlet.ns, mx: ofOutlet.mx.map((m) => m.exchange) },
    );
    const failed = [ofCandidate, ofOutlet].filter((f) => f.errors.length > 0);
    for (const facts of failed) this.#report(facts, problems);
    let incomplete =
      failed.length > 0 || ofCandidate.skipped !== undefined || ofOutlet.skipped !== undefined;
    let noted = finding;
    if (claims !== undefined) {
      const checks: NameServerCheck[] = [];
      for (const host of claims.nsUnderOutlet.slice(0, MAX_VERIFIED_SERVERS_PER_FINDING)) {
        const home =
          outletDomains.find((d) => host === d || host.endsWith(`.${d}`)) ?? outletDomains[0];
        const check = await this.#checkServer(
          host,
          ofCandidate.domain,
          home as string,
          finding.subject,
          problems,
        );
        if (check.failed) incomplete = true;
        checks.push(check.check);
        const verified = verifiedOwnership(claims, checks);
        if (verified !== undefined) {
          this.#summary.owned++;
          this.#summary.checked++;
          return { finding: withOwnership(finding, verified, protectedDomain), owned: true };
        }
      }
      this.#summary.claimed++;
      noted = withOwnershipClaims(finding, claims, checks, protectedDomain);
    }
    const held = await this.#registrar(
      candidate.domain.registrable,
      outlet.domain.registrable,
      finding.subject,
      problems,
    );
    if (held.failed) incomplete = true;
    if (held.shared !== undefined) {
      this.#summary.owned++;
      this.#summary.heldAtRegistrar++;
      this.#summary.checked++;
      return { finding: withRegistrarOwnership(noted, held.shared, protectedDomain), owned: true };
    }
    this.#summary[incomplete ? "notChecked" : "checked"]++;
    return { finding: noted, owned: false };
  }

  /**
   * The corporate registrar holding both `candidate` and `outlet`, asked over RDAP when
   * an RDAP enricher was given. A domain the registry does not know, or whose TLD has no
   * RDAP server, says nothing; a failed look-up is a problem (once a domain) and `failed`.
   */
  async #registrar(
    candidate: string,
    outlet: string,
    subject: string,
    problems: ItemProblem[],
  ): Promise<{ shared?: SharedRegistrar; failed?: boolean }> {
    if (this.#rdap === undefined) return {};
    if (![candidate, outlet].every((d) => this.#reserve(`rdap ${d}`))) {
      this.#reportBudget(subject, problems);
      return { failed: true };
    }
    const rdap = this.#rdap;
    const [ofCandidate, ofOutlet] = (await Promise.all(
      [candidate, outlet].map((d) => rdap.lookup(d)),
    )) as [RdapFacts, RdapFacts];
    let failed = false;
    for (const facts of [ofCandidate, ofOutlet]) {
      if (facts.outcome !== "failed") continue;
      failed = true;
      this.#reportOnce(
        `rdap ${facts.domain}`,
        {
          item: `ownership check of ${facts.domain}`,
          code: facts.code,
          message: `RDAP: ${facts.message}: its registrar is left unknown`.slice(0, 1000),
        },
        problems,
      );
    }
    if (ofCandidate.outcome !== "found" || ofOutlet.outcome !== "found") return { failed };
    const shared = sharedCorporateRegistrar(ofCandidate.registrar, ofOutlet.registrar);
    return shared === undefined ? { failed } : { shared, failed };
  }

  /**
   * Asks `host` (a claimed name server under the outlet's domain `home`) directly whether
   * it serves `zone`, whether it answers for a control zone too, and what primary it
   * names for `home`. `failed` when a look-up gave no usable answer (reported once per
   * candidate domain).
   */
  async #checkServer(
    host: string,
    zone: string,
    home: string,
    subject: string,
    problems: ItemProblem[],
  ): Promise<{ check: NameServerCheck; failed: boolean }> {
    if (!this.#reserve(`name server ${host} for ${zone}`)) {
      this.#reportBudget(subject, problems);
      return {
        check: { host, unverified: "not asked: the run's look-up budget is spent" },
        failed: true,
      };
    }
    const facts = await this.#addresses.lookup(host);
    const address = facts.a[0] ?? facts.aaaa[0];
    if (address === undefined) {
      if (facts.skipped !== undefined) {
        return { check: { host, unverified: `not asked: ${facts.skipped}` }, failed: true };
      }
      if (facts.errors.length > 0) {
        this.#report({ ...facts, domain: zone }, problems);
        return { check: { host, unverified: "its address could not be looked up" }, failed: true };
      }
      return { check: { host, unverified: "it has no address" }, failed: false };
    }
    const served = await this.#askServer({
      address,
      port: this.#port,
      name: zone,
      type: "SOA",
    });
    if (!served.answered) {
      if (NOT_SERVED.has(served.code)) {
        return {
          check: {
            host,
            address,
            unverified: `asked at ${address}, it does not serve ${zone} (${served.code})`,
          },
          failed: false,
        };
      }
      this.#reportAnswer(zone, `SOA ${zone} at ${host} (${address})`, served, problems);
      return {
        check: {
          host,
          address,
          unverified: `asked at ${address}, no usable answer (${served.code})`,
        },
        failed: true,
      };
    }
    const other = await this.#askSoaOnce(address, OWNERSHIP_CONTROL_ZONE);
    if (other.answered) {
      return {
        check: {
          host,
          address,
          candidateSoa: served.soa,
          answersControl: true,
          unverified: `asked at ${address}, it also answers for ${OWNERSHIP_CONTROL_ZONE}: it answers for anything (an open resolver), so its answer proves nothing`,
        },
        failed: false,
      };
    }
    if (!NOT_SERVED.has(other.code)) {
      this.#reportAnswer(
        zone,
        `SOA ${OWNERSHIP_CONTROL_ZONE} at ${host} (${address})`,
        other,
        problems,
      );
      return {
        check: {
          host,
          address,
          candidateSoa: served.soa,
          unverified: `asked at ${address}, the control question got no usable answer (${other.code})`,
        },
        failed: true,
      };
    }
    const checked = { host, address, candidateSoa: served.soa, answersControl: false };
    const outlet = await this.#askSoaOnce(address, home);
    if (!outlet.answered) {
      if (!NOT_SERVED.has(outlet.code)) {
        this.#reportAnswer(zone, `SOA ${home} at ${host} (${address})`, outlet, problems);
      }
      return {
        check: {
          ...checked,
          unverified: `asked at ${address}, it gives no SOA for the outlet's own ${home} (${outlet.code}), so the two zones cannot be compared`,
        },
        failed: !NOT_SERVED.has(outlet.code),
      };
    }
    if (!sameSoaPrimary(served.soa, outlet.soa)) {
      return {
        check: {
          ...checked,
          outletSoa: outlet.soa,
          unverified: `asked at ${address}, it names ${soaPrimary(served.soa) || "no server"} as primary for ${zone} but ${soaPrimary(outlet.soa) || "no server"} for the outlet's own ${home}: a DNS provider serving both (under the outlet's names) says nothing about who holds ${zone}`,
        },
        failed: false,
      };
    }
    return { check: { ...checked, outletSoa: outlet.soa }, failed: false };
  }

  /** The SOA of `zone` as the server at `address` answers it, asked once a run. */
  #askSoaOnce(address: string, zone: string): Promise<ServerAnswer> {
    const key = `${address} ${zone}`;
    let answer = this.#fixedSoa.get(key);
    if (answer === undefined) {
      answer = this.#askServer({ address, port: this.#port, name: zone, type: "SOA" });
      this.#fixedSoa.set(key, answer);
    }
    return answer;
  }

  /** Counts a look-up against the budget; false when it is spent (asked ones are free). */
  #reserve(key: string): boolean {
    if (this.#asked.has(key)) return true;
    if (this.#asked.size >= this.#maxLookups) return false;
    this.#asked.add(key);
    this.#summary.lookups++;
    return true;
  }

  #reportBudget(subject: string, problems: ItemProblem[]): void {
    if (this.#budgetReported) return;
    this.#budgetReported = true;
    problems.push({
      item: `ownership check of ${subject}`,
      code: "VIGIL_ERR_DNS_BUDGET",
      message: `the run's ${this.#maxLookups} ownership look-ups are spent: this and later findings are left as they were`,
    });
  }

  #report(facts: DnsFacts, problems: ItemProblem[]): void {
    const [first] = facts.errors;
    if (first === undefined) return;
    const what = facts.errors
      .map((e) => `${e.type} ${facts.host} ${e.cause}${e.temporary ? " (temporary)" : ""}`)
      .join(", ");
    this.#reportOnce(
      facts.domain,
      {
        item: `ownership check of ${facts.domain}`,
        code: first.code,
        message: `DNS ${what}: its findings are left as they were`,
      },
      problems,
    );
  }

  #reportAnswer(
    domain: string,
    question: string,
    answer: ServerAnswer & { answered: false },
    problems: ItemProblem[],
  ): void {
    const code: ErrorCode = TIMED_OUT.has(answer.code)
      ? "VIGIL_ERR_DNS_TIMEOUT"
      : "VIGIL_ERR_DNS_FAILED";
    this.#reportOnce(
      domain,
      {
        item: `ownership check of ${domain}`,
        code,
        message: `DNS ${question}: ${answer.code}: its ownership is left unverified`,
      },
      problems,
    );
  }

  /** Adds `problem` unless one was already reported under `key` this run (a domain, or `rdap <domain>`). */
  #reportOnce(key: string, problem: ItemProblem, problems: ItemProblem[]): void {
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    problems.push(problem);
  }
}
