/**
 * A 100-entry log of real certificates and precertificates for the CT tests: mostly
 * harmless names, a few lookalikes of The Washington Post and Fox News (in x509 and in
 * precert entries, with wildcards), an entry with IP addresses only, one with a name
 * that is not a domain, and one deliberately malformed `leaf_input`.
 */
import {
  type CtClientOptions,
  completeIds,
  type Watchlist,
  WatchlistSchema,
} from "../../src/index.js";
import { issueCertificate, issuePrecertificate, makeCa } from "./certificates.js";
import { precertEntry, type TestLogEntry, x509Entry, x509Leaf } from "./ct-log-server.js";
import { loopbackFetch } from "./loopback-fetch.js";

/** Fast retries, loopback only: what every in-process client of the CT tests uses. */
export const CLIENT: CtClientOptions = {
  fetch: loopbackFetch,
  timeoutMs: 2000,
  attempts: 3,
  backoff: { baseMs: 5, maxMs: 20 },
};
/** The clock of the CT tests' runs. */
export const NOW = () => new Date("2024-08-16T13:00:00.000Z");

export const ENTRY_COUNT = 100;
/** The entry whose leaf_input is cut short. */
export const MALFORMED_INDEX = 37;
/** The entry with a SAN that is not a domain name. */
export const BAD_NAME_INDEX = 66;
/** Entry i was logged at T0 + i seconds. */
export const T0 = Date.UTC(2024, 7, 16, 12, 0, 0);

/**
 * The lookalikes in the log (a subdomain of one is a finding of its own), with the first
 * entry holding each and its type.
 */
export const LOOKALIKES = {
  "washingtonpost.pm": { first: 5, type: "x509" },
  "www.washingtonpost.pm": { first: 5, type: "x509" },
  "fox-news.in": { first: 17, type: "precert" },
  "www.fox-news.in": { first: 17, type: "precert" },
  "foxnews-live.com": { first: 29, type: "precert" },
  "washingtonpost.co": { first: 53, type: "x509" },
} as const;
/** Observations behind the findings: washingtonpost.pm's two names are in entries 5 and 88. */
export const LOOKALIKE_SIGHTINGS = 8;

export const ca = makeCa();

/** The watchlist of the tests: the two outlets `vigil init` protects first. */
export const watchlist: Watchlist = completeIds(
  WatchlistSchema.parse({
    outlets: [
      { id: "washington-post", name: "The Washington Post", domains: ["washingtonpost.com"] },
      { id: "fox-news", name: "Fox News", domains: ["foxnews.com"] },
    ],
  }),
);

function build(): TestLogEntry[] {
  const entries: TestLogEntry[] = [];
  for (let i = 0; i < ENTRY_COUNT; i++) {
    const at = T0 + i * 1000;
    const spec = { serial: i + 100, notBefore: new Date(at) };
    switch (i) {
      case 5: // the Doppelganger pattern: TLD swap, with a wildcard
      case 88: // … and its renewal
        entries.push(
          x509Entry(
            ca,
            issueCertificate(ca, {
              ...spec,
              commonName: "washingtonpost.pm",
              dnsNames: ["washingtonpost.pm", "*.washingtonpost.pm", "www.washingtonpost.pm"],
            }),
            at,
          ),
        );
        break;
      case 17:
        entries.push(
          precertEntry(
            ca,
            issuePrecertificate(ca, { ...spec, dnsNames: ["fox-news.in", "www.fox-news.in"] }),
            at,
          ),
        );
        break;
      case 29: // a precert whose leaf kept its poison extension
        entries.push(
          precertEntry(
            ca,
            issuePrecertificate(
              ca,
              { ...spec, dnsNames: ["*.foxnews-live.com"] },
              { keepPoison: true },
            ),
            at,
          ),
        );
        break;
      case MALFORMED_INDEX: {
        const good = issueCertificate(ca, { ...spec, dnsNames: ["cut-short.example.com"] });
        const leaf = x509Leaf(at, good);
        entries.push({ leafInput: leaf.subarray(0, leaf.length - 40), extraData: Buffer.alloc(0) });
        break;
      }
      case 41: // IP addresses only: no names
        entries.push(
          x509Entry(ca, issueCertificate(ca, { ...spec, ipAddresses: ["192.0.2.41"] }), at),
        );
        break;
      case 53: // no SAN; the common name is the host
        entries.push(
          x509Entry(ca, issueCertificate(ca, { ...spec, commonName: "washingtonpost.co" }), at),
        );
        break;
      case BAD_NAME_INDEX:
        entries.push(
          x509Entry(
            ca,
            issueCertificate(ca, { ...spec, dnsNames: ["ok-66.example.org", "bad..name.example"] }),
            at,
          ),
        );
        break;
      default:
        if (i % 2 === 0) {
          entries.push(
            x509Entry(
              ca,
              issueCertificate(ca, {
                ...spec,
                commonName: `shop-${i}.example.com`,
                dnsNames: [`shop-${i}.example.com`, `*.shop-${i}.example.com`],
              }),
              at,
            ),
          );
        } else {
          entries.push(
            precertEntry(
              ca,
              issuePrecertificate(ca, { ...spec, dnsNames: [`news-${i}.example.org`] }),
              at,
            ),
          );
        }
    }
  }
  return entries;
}

/** The log's entries (built once; buffers are never changed). */
export const LOG_ENTRIES: readonly TestLogEntry[] = build();
