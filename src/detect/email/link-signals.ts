import {
  type DomainName,
  type EmailLink,
  type EmailMessage,
  parseDomain,
} from "../../model/index.js";
import type { EmailContext } from "./email-context.js";
import {
  type EmailRule,
  type EmailSignal,
  round,
  EMAIL_RULE_WEIGHTS as W,
} from "./email-features.js";
import {
  FILE_SHARING_HOSTS,
  FORM_HOSTS,
  FORM_PATHS,
  FREE_HOSTING_SUFFIXES,
  listedParent,
  SHORTENER_HOSTS,
} from "./service-domains.js";

/** Links judged per message: enough for any real message, bounded for hostile ones. */
export const MAX_LINKS_JUDGED = 200;
/** Query parameters read per link, looking for an embedded destination. */
const MAX_PARAMS = 20;

/** Path words of login and verification pages. */
const CREDENTIAL_PATH =
  /(?:^|[/._=-])(log-?in|sign-?in|signon|logon|verify|verification|validate|password|passwd|credentials?|authenticate|unlock|webscr|wp-login|owa|sso)(?:[/._?=&#-]|$)/;

/** What the shown text of an anchor names as its destination: a URL or a host. */
const SHOWN_HOST = /^(?:https?:\/\/)?((?:[a-z0-9-]{1,63}\.)+[a-z]{2,24})(?:[/:?#]\S*)?$/i;

interface ParsedLink {
  link: EmailLink;
  url: URL;
  host: string;
  domain?: DomainName;
}

/** `ip-literal-link` and friends, each rule once per message with how many links fired it. */
export function linkSignals(message: EmailMessage, context: EmailContext): EmailSignal[] {
  const fired = new Map<EmailRule, { signal: EmailSignal; count: number }>();
  const fire = (signal: EmailSignal) => {
    const seen = fired.get(signal.rule);
    if (seen === undefined) fired.set(signal.rule, { signal, count: 1 });
    else {
      seen.count++;
      if (signal.weight > seen.signal.weight) seen.signal = signal;
    }
  };
  for (const link of message.links.slice(0, MAX_LINKS_JUDGED)) {
    const parsed = parseLink(link);
    if (parsed === undefined) continue;
    const { url, host, domain } = parsed;
    const owned = domain !== undefined && context.ownerOf(domain.registrable) !== undefined;
    const shownUrl = url.href.slice(0, 120);

    if (domain !== undefined && !owned) {
      const top = context.lookalikes(domain)[0];
      if (top !== undefined) {
        fire({
          rule: "lookalike-link-domain",
          feature: `link to ${domain.unicode} imitates ${top.match.protectedDomain} (${top.match.rule}, ${top.match.score.toFixed(2)})`,
          weight: round(W["lookalike-link-domain"] * top.match.score),
          explanation: `A link goes to a domain made to pass for ${top.match.protectedDomain}, owned by ${top.target.name}.`,
          techniques: ["link", "domains"],
          evidence: [
            { type: "lookalike-domain", value: domain.ascii, note: "in a link" },
            {
              type: "protected-domain",
              value: top.match.protectedDomain,
              note: `owned by ${top.target.name}`,
            },
          ],
          target: top.target,
        });
      }
    }
    if (link.text !== undefined) {
      const shown = SHOWN_HOST.exec(link.text.trim())?.[1];
      const shownDomain = shown === undefined ? undefined : parseDomain(shown.toLowerCase());
      if (
        shownDomain?.ok &&
        (domain === undefined || shownDomain.domain.registrable !== domain.registrable)
      ) {
        fire({
          rule: "link-text-mismatch",
          feature: `link shows ${shownDomain.domain.registrable} but goes to ${host}`,
          weight: W["link-text-mismatch"],
          explanation: "A link's text names one site while the link itself goes to another.",
          techniques: ["link"],
          evidence: [
            { type: "link", value: shownUrl, note: `shown as ${link.text.slice(0, 200)}` },
          ],
        });
      }
    }
    if (isIpLiteral(host)) {
      fire(
        simple(
          "ip-literal-link",
          `link to the address ${host}`,
          "A link goes to a bare IP address instead of a named site.",
          ["link"],
          shownUrl,
        ),
      );
    }
    if (host.split(".").some((label) => label.startsWith("xn--"))) {
      fire(
        simple(
          "punycode-link",
          `link to ${domain?.unicode ?? host} (${host})`,
          "A link goes to an internationalised name, which can imitate another name letter for letter.",
          ["link"],
          shownUrl,
        ),
      );
    }
    if (owned) continue;
    const path = `${url.pathname}${url.search}`.toLowerCase();
    const credential = CREDENTIAL_PATH.exec(path)?.[1];
    if (credential !== undefined) {
      fire(
        simple(
          "credential-path-link",
          `link to ${host} with "${credential}" in its path`,
          "A link leads to what its address calls a login or verification page on a site that is not the watchlist's.",
          ["link", "information"],
          shownUrl,
        ),
      );
    }
    const shortener = listedParent(host, SHORTENER_HOSTS);
    if (shortener !== undefined) {
      fire(
        simple(
          "url-shortener",
          `link through ${shortener}`,
          "A shortened link hides where it goes.",
          ["link"],
          shownUrl,
        ),
      );
    }
    const embedded = embeddedDestination(url, domain);
    if (embedded !== undefined) {
      fire(
        simple(
          "redirector-link",
          `link through ${host} on to ${embedded}`,
          "A link passes through one site to land on another, hiding its real destination.",
          ["link"],
          shownUrl,
        ),
      );
    }
    const hostPath = `${host}${url.pathname}`;
    const form =
      listedParent(host, FORM_HOSTS) ??
      (FORM_PATHS.some((p) => p.test(hostPath)) ? host : undefined);
    if (form !== undefined) {
      fire(
        simple(
          "form-service-link",
          `link to a form on ${form}`,
          "A link goes to an online form service, where a fake login form needs no server of the attacker's own.",
          ["link", "information"],
          shownUrl,
        ),
      );
    } else {
      const sharing = listedParent(host, FILE_SHARING_HOSTS);
      if (sharing !== undefined) {
        fire(
          simple(
            "file-sharing-link",
            `link to a file on ${sharing}`,
            "A link goes to a file-sharing service, a common way to deliver a lure document or payload.",
            ["link"],
            shownUrl,
          ),
        );
      }
    }
    const hosting = listedParent(host, FREE_HOSTING_SUFFIXES);
    if (hosting !== undefined) {
      fire(
        simple(
          "free-hosting-link",
          `link to ${host} (free hosting on ${hosting})`,
          "A link goes to a site on a free hosting platform, up in minutes under a reputable parent name.",
          ["link"],
          shownUrl,
        ),
      );
    }
  }
  return [...fired.values()].map(({ signal, count }) =>
    count > 1 ? { ...signal, feature: `${signal.feature} (${count} links)` } : signal,
  );
}

function simple(
  rule: keyof typeof W,
  feature: string,
  explanation: string,
  techniques: EmailSignal["techniques"],
  url: string,
): EmailSignal {
  return {
    rule,
    feature,
    weight: W[rule],
    explanation,
    techniques,
    evidence: [{ type: "link", value: url }],
  };
}

/** The domain an http(s) link goes to, when it names one (not an IP literal). */
export function parseLinkDomain(href: string): DomainName | undefined {
  return parseLink({ href, from: "text" })?.domain;
}

function parseLink(link: EmailLink): ParsedLink | undefined {
  let url: URL;
  try {
    url = new URL(link.href.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host === "") return undefined;
  const parsed = isIpLiteral(host) ? undefined : parseDomain(host);
  return { link, url, host, ...(parsed?.ok ? { domain: parsed.domain } : {}) };
}

/** WHATWG URLs write every IPv4 form (hex, decimal) as dotted quads, and IPv6 in brackets. */
function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith("[");
}

/** Another site's address carried in a link's query or path (`?url=https://…`). */
function embeddedDestination(url: URL, domain: DomainName | undefined): string | undefined {
  const candidates: string[] = [];
  let n = 0;
  for (const [, value] of url.searchParams) {
    if (++n > MAX_PARAMS) break;
    candidates.push(value);
  }
  const inPath = /\/(https?(?::|%3a)(?:\/\/|%2f%2f)[^?#]+)/i.exec(url.pathname)?.[1];
  if (inPath !== undefined) candidates.push(safeDecode(inPath));
  for (const value of candidates) {
    if (!/^(?:https?:)?\/\/|^https?%3a/i.test(value)) continue;
    try {
      const target = new URL(value.startsWith("//") ? `https:${value}` : safeDecode(value));
      const parsed = parseDomain(target.hostname);
      if (parsed.ok && parsed.domain.registrable !== domain?.registrable)
        return parsed.domain.registrable;
    } catch {
      // Not a URL after all.
    }
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
