import type { EmailMessage } from "../../model/index.js";
import {
  brandsNamed,
  brandsRunInto,
  brandWords,
  isBrandDomain,
  type PhishedBrand,
} from "./brand-catalogue.js";
import { type EmailSignal, EMAIL_RULE_WEIGHTS as W } from "./email-features.js";
import type { LureCategory } from "./lure-language.js";
import { addressDomain } from "./sender-signals.js";

/** Links looked at for a destination outside the claimed brand. */
const MAX_BRAND_LINKS = 200;
/** Lures that, with a brand named in the subject, make a pretext of that brand. */
const BRAND_PRETEXTS: ReadonlySet<LureCategory> = new Set([
  "account-security",
  "document",
  "money",
]);

/**
 * Signals of a widely phished brand (see `PHISHED_BRANDS`) claimed by a sender that is
 * not that brand: named in the display name (`brand-display-name`), run into the address
 * (`brand-in-address`: `paypal-support@…`, `noreply-binance@…`), or named in the subject
 * of an account, document or payment pretext (`brand-lure`); and, once a brand is
 * claimed, links to sites that are neither the brand's nor the sender's
 * (`brand-link-elsewhere`). Mail from the brand's own domains never fires them.
 *
 * @param lures the lure categories found in the message, for `brand-lure`
 */
export function brandSignals(
  message: EmailMessage,
  lures: ReadonlySet<LureCategory>,
): EmailSignal[] {
  const out: EmailSignal[] = [];
  const from = message.from;
  const address = from?.address.toLowerCase() ?? "";
  const domain = addressDomain(address);
  const notOwn = (b: PhishedBrand) => domain === undefined || !isBrandDomain(b, domain.registrable);
  const where = address === "" ? "no address at all" : address;
  const claimed: PhishedBrand[] = [];

  const shown = from === undefined ? [] : brandsNamed(brandWords(from.name)).filter(notOwn);
  const named = shown[0];
  if (from !== undefined && named !== undefined) {
    claimed.push(named);
    out.push({
      rule: "brand-display-name",
      feature: `display name "${from.name.slice(0, 200)}" names ${named.name}; the sender is ${where}`,
      weight: W["brand-display-name"],
      explanation: `The sender's name claims ${named.name}, a service phishing often imitates, but the message does not come from ${named.name}'s domains.`,
      techniques: ["impersonation"],
      evidence: [{ type: "impersonated-brand", value: named.name, note: `from ${where}` }],
    });
  }

  if (domain !== undefined) {
    const local = address.slice(0, address.lastIndexOf("@"));
    const host = address.slice(address.lastIndexOf("@") + 1, -domain.registrable.length - 1);
    const inAddress = `${local} ${host} ${domain.registrable.split(".")[0] ?? ""}`;
    const embedded = [...brandsNamed(brandWords(inAddress)), ...brandsRunInto(inAddress)]
      .filter(notOwn)
      .find((b) => !claimed.includes(b));
    if (embedded !== undefined) {
      claimed.push(embedded);
      out.push({
        rule: "brand-in-address",
        feature: `the address ${address} carries ${embedded.name}'s name but is not on its domains`,
        weight: W["brand-in-address"],
        explanation: `The sender's address is dressed in ${embedded.name}'s name on a domain that is not ${embedded.name}'s.`,
        techniques: ["impersonation"],
        evidence: [{ type: "impersonated-brand", value: embedded.name, note: `in ${address}` }],
      });
    }
  }

  if (claimed.length === 0 && [...lures].some((l) => BRAND_PRETEXTS.has(l))) {
    const inSubject = brandsNamed(brandWords(message.subject)).filter(notOwn)[0];
    if (inSubject !== undefined) {
      claimed.push(inSubject);
      out.push({
        rule: "brand-lure",
        feature: `subject names ${inSubject.name} in a ${[...lures].filter((l) => BRAND_PRETEXTS.has(l)).join("/")} pretext; the sender is ${where}`,
        weight: W["brand-lure"],
        explanation: `The message speaks about the reader's ${inSubject.name} account, document or payment, yet does not come from ${inSubject.name}.`,
        techniques: ["impersonation", "information"],
        evidence: [{ type: "impersonated-brand", value: inSubject.name, note: "in the subject" }],
      });
    }
  }

  if (claimed.length > 0) {
    for (const link of message.links.slice(0, MAX_BRAND_LINKS)) {
      const target = linkRegistrable(link.href);
      if (target === undefined || target === domain?.registrable) continue;
      if (claimed.some((b) => isBrandDomain(b, target))) continue;
      out.push({
        rule: "brand-link-elsewhere",
        feature: `claims ${claimed.map((b) => b.name).join(", ")} but links to ${target}`,
        weight: W["brand-link-elsewhere"],
        explanation:
          "The message claims a brand, yet its links go to a site that is neither that brand's nor the sender's.",
        techniques: ["link"],
        evidence: [{ type: "link", value: link.href.slice(0, 120) }],
      });
      break;
    }
  }
  return out;
}

/** The registrable domain of an http(s) link, or undefined. */
function linkRegistrable(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  return addressDomain(`x@${url.hostname}`)?.registrable;
}
