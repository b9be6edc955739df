import type { LocationClaim } from "./claimed-location.js";
import { ccTldCountry, countryCode } from "./place-names.js";
import { isSharedAddress } from "./site-identifiers.js";
import type { SiteInfrastructure } from "./site-page.js";

/**
 * Networks whose registration says nothing of where a site is: CDNs and clouds register
 * their address blocks at their head office (US, mostly) whatever the data centre, and a
 * site behind a CDN shows the CDN's network. Matched on the network's name and holder.
 */
export const LOCATIONLESS_NETWORKS: readonly RegExp[] = [
  /cloudflare/i,
  /akamai|linode/i,
  /fastly/i,
  /amazon|\baws\b|^at-88-z$/i,
  /google/i,
  /microsoft|\bmsft\b|azure/i,
  /incapsula|imperva/i,
  /sucuri/i,
  /stackpath|highwinds/i,
  /edgecast|edgio|limelight/i,
  /cdn77|datacamp/i,
  /bunny/i,
  /ddos-guard/i,
  /qrator/i,
  /vercel/i,
  /netlify/i,
  /automattic/i,
  /github/i,
  /oracle/i,
];

/** What one piece of infrastructure shows against a claimed location. */
export interface InfrastructureCountry {
  source: "registrant" | "hosting-network" | "dns-cctld";
  country: string;
  /** As it reads in a reason: `registrant country IR (Pars Media)`. */
  detail: string;
  weight: number;
}

/** The infrastructure of a site in other countries than the one it claims. */
export interface LocationMismatch {
  claim: LocationClaim;
  /** What disagrees, heaviest first. */
  shows: InfrastructureCountry[];
  /** The pieces combined by noisy-or. */
  weight: number;
  /** Facts that were there but were not counted, and why. */
  ignored: string[];
}

export interface LocationMismatchWeights {
  registrant: number;
  network: number;
  ccTld: number;
}

/**
 * Compares where a site says it is with where its infrastructure is: the registrant's
 * country (RDAP; not when a privacy service stands in, whose country is its own), the
 * country of the network its pages came from (RDAP IP; not for a CDN's or cloud's, nor
 * for a CDN address), and name servers or mail servers under another country's ccTLD.
 * A country the site itself names anywhere (`claim.countries`) is no mismatch.
 * Undefined when nothing disagrees.
 */
export function locationMismatch(
  claim: LocationClaim,
  infrastructure: SiteInfrastructure | undefined,
  weights: LocationMismatchWeights,
): LocationMismatch | undefined {
  if (infrastructure === undefined) return undefined;
  const claimed = new Set(claim.countries);
  const shows: InfrastructureCountry[] = [];
  const ignored: string[] = [];
  const registrant = infrastructure.registrant;
  const registrantCountry =
    registrant?.country === undefined ? undefined : countryCode(registrant.country);
  if (registrant?.proxied === true) {
    if (registrantCountry !== undefined)
      ignored.push(
        `registrant country ${registrantCountry}: a privacy service's, not the registrant's`,
      );
  } else if (registrantCountry !== undefined && !claimed.has(registrantCountry)) {
    shows.push({
      source: "registrant",
      country: registrantCountry,
      detail: `registrant country ${registrantCountry}${registrant?.organisation === undefined ? "" : ` (${registrant.organisation.slice(0, 80)})`}`,
      weight: weights.registrant,
    });
  }
  const network = infrastructure.network;
  const networkCountry = network?.country === undefined ? undefined : countryCode(network.country);
  if (network !== undefined && networkCountry !== undefined) {
    const label = [network.name, network.organisation].filter((x) => x !== undefined).join(", ");
    if (
      isSharedAddress(network.address) ||
      LOCATIONLESS_NETWORKS.some(
        (p) => p.test(network.name ?? "") || p.test(network.organisation ?? ""),
      )
    ) {
      ignored.push(
        `hosting network ${label || network.address} (${networkCountry}): a CDN or cloud, whose registration says nothing of where the site is`,
      );
    } else if (!claimed.has(networkCountry)) {
      shows.push({
        source: "hosting-network",
        country: networkCountry,
        detail:
          label === ""
            ? `hosting network of ${network.address} in ${networkCountry}`
            : `hosting network ${label} in ${networkCountry} (for ${network.address})`,
        weight: weights.network,
      });
    }
  }
  const foreign = new Map<string, string[]>();
  for (const host of [
    ...(infrastructure.nameServers ?? []),
    ...(infrastructure.mailServers ?? []),
  ]) {
    const name = host.toLowerCase().replace(/\.$/, "");
    const country = ccTldCountry(name.slice(name.lastIndexOf(".") + 1));
    if (country === undefined || claimed.has(country)) continue;
    const list = foreign.get(country) ?? [];
    if (list.length < 3) list.push(name);
    foreign.set(country, list);
  }
  if (foreign.size > 0) {
    const [country, hosts] = [...foreign][0] as [string, string[]];
    shows.push({
      source: "dns-cctld",
      country,
      detail: `name or mail servers under .${(hosts[0] as string).slice((hosts[0] as string).lastIndexOf(".") + 1)} (${hosts.join(", ")})`,
      weight: weights.ccTld,
    });
  }
  if (shows.length === 0) return undefined;
  shows.sort((a, b) => b.weight - a.weight);
  const weight = 1 - shows.reduce((rest, s) => rest * (1 - s.weight), 1);
  return { claim, shows, weight: Math.round(weight * 1000) / 1000, ignored };
}
