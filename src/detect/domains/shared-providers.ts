/**
 * Name servers and mail servers of providers that serve a great many unrelated domains.
 * Two domains sharing one of them say nothing about a common owner: Cloudflare alone
 * serves millions of zones, Google and Microsoft take mail for millions of companies.
 * Each pattern is tested against `.` + the lower-case host without its trailing dot.
 */

/** Name servers of DNS providers, registrars and hosts that serve a great many unrelated zones. */
export const SHARED_NAME_SERVERS: readonly RegExp[] = [
  /\.ns\.cloudflare\.com$/,
  /\.cloudflare\.com$/,
  /\.domaincontrol\.com$/,
  /\.awsdns-\d+\./,
  /\.registrar-servers\.com$/,
  /\.googledomains\.com$/,
  /\.google\.com$/,
  /\.nsone\.net$/,
  /\.dynect\.net$/,
  /\.azure-dns\./,
  /\.hostgator\.com$/,
  /\.bluehost\.com$/,
  /\.dreamhost\.com$/,
  /\.wixdns\.net$/,
  /\.squarespacedns\.com$/,
  /\.name\.com$/,
  /\.dnsmadeeasy\.com$/,
  /\.ultradns\./,
  /\.akam\.net$/,
  /\.hostinger\./,
  /\.siteground\./,
  /\.ionos\./,
  /\.ovh\.net$/,
  /\.digitalocean\.com$/,
  /\.linode\.com$/,
  /\.vercel-dns\.com$/,
  /\.netlify\.com$/,
  /\.he\.net$/,
  /\.cloudns\.net$/,
  /\.gandi\.net$/,
  /\.worldnic\.com$/,
  /(?:parkingcrew|sedoparking|bodis|above)\.(?:net|com)$/,
];

/** Mail servers of hosted mail and mail-filtering services used by a great many unrelated domains. */
export const SHARED_MAIL_SERVERS: readonly RegExp[] = [
  /\.google\.com$/,
  /\.googlemail\.com$/,
  /\.outlook\.com$/,
  /\.pphosted\.com$/,
  /\.ppe-hosted\.com$/,
  /\.mimecast\.com$/,
  /\.messagelabs\.com$/,
  /\.iphmx\.com$/,
  /\.barracudanetworks\.com$/,
  /\.zoho\.[a-z.]+$/,
  /\.zohomail\.[a-z.]+$/,
  /\.yandex\.[a-z.]+$/,
  /\.mail\.ru$/,
  /\.secureserver\.net$/,
  /\.emailsrvr\.com$/,
  /\.icloud\.com$/,
  /\.protonmail\.ch$/,
  /\.messagingengine\.com$/,
  /\.privateemail\.com$/,
  /\.registrar-servers\.com$/,
  /\.mailgun\.org$/,
  /\.sendgrid\.net$/,
  /\.amazonaws\.com$/,
  /\.improvmx\.com$/,
  /\.forwardemail\.net$/,
  /\.ovh\.net$/,
  /\.gandi\.net$/,
  /\.ionos\.[a-z.]+$/,
  /\.hostinger\.[a-z.]+$/,
  /(?:parkingcrew|sedoparking|bodis|above)\.(?:net|com)$/,
];

/** Whether `host` is a name server of a provider serving a great many unrelated zones. */
export function isSharedNameServer(host: string): boolean {
  const name = `.${normaliseHost(host)}`;
  return SHARED_NAME_SERVERS.some((p) => p.test(name));
}

/** Whether `host` is a mail server of a provider taking mail for a great many unrelated domains. */
export function isSharedMailServer(host: string): boolean {
  const name = `.${normaliseHost(host)}`;
  return SHARED_MAIL_SERVERS.some((p) => p.test(name));
}

/** A DNS host name as compared: lower case, no trailing dot, no surrounding space. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * Corporate registrars: they register names for companies under contract (brand
 * protection portfolios) and take no anonymous customers, so a lookalike held at the
 * same one as the outlet's own domain is held for a company, most likely the outlet.
 * Retail registrars, where anyone can register anything, are not here. Each entry names
 * the registrar and a pattern for how registries spell it in RDAP.
 */
export const CORPORATE_REGISTRARS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: "MarkMonitor", pattern: /\bmarkmonitor\b/i },
  {
    name: "CSC Corporate Domains",
    pattern: /\bcsc corporate domains\b|\bcorporation service company\b/i,
  },
  { name: "Com Laude", pattern: /\bcom laude\b|\bnom-iq\b/i },
  { name: "Safenames", pattern: /\bsafenames\b/i },
  { name: "GoDaddy Corporate Domains", pattern: /\bgodaddy corporate domains\b|\bbrandsight\b/i },
  { name: "Lexsynergy", pattern: /\blexsynergy\b/i },
  { name: "Corsearch", pattern: /\bcorsearch\b/i },
  { name: "EBRAND", pattern: /\bebrand services\b/i },
];

/** The corporate registrar (`CORPORATE_REGISTRARS`) an RDAP registrar name is, if any. */
export function corporateRegistrar(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return CORPORATE_REGISTRARS.find((r) => r.pattern.test(name))?.name;
}
