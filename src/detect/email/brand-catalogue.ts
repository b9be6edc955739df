import { skeleton } from "../domains/index.js";

/** A widely phished service: the words that name it and the domains that are its own. */
export interface PhishedBrand {
  /** How the brand is shown in a reason. */
  name: string;
  /** Word runs that name it (lower case, read as `brandWords` reads text). */
  names: readonly (readonly string[])[];
  /**
   * Its own registrable domains. An entry ending in `.*` is a label under any public
   * suffix (`amazon.*`: amazon.de, amazon.co.jp).
   */
  domains: readonly string[];
}

/*
 * Brands that credential phishing imitates most, as the public brand-phishing reports
 * (Check Point, Vade, Proofpoint, APWG, 2021-24) rank them: office and cloud suites,
 * document signing and file sharing, shops and payment, social networks, parcel carriers,
 * large banks of several countries, crypto exchanges and wallets, antivirus renewals. A
 * brand is named here only by words a person's name or an ordinary sentence does not
 * use: `Chase` alone is a first name and `ING` a suffix, so they need their bank word.
 * This list is not drawn from any corpus; it is a named, explainable reason's basis and
 * is meant to be read and extended.
 */
export const PHISHED_BRANDS: readonly PhishedBrand[] = [
  brand(
    "Microsoft",
    [
      "microsoft",
      "office 365",
      "office365",
      "microsoft 365",
      "outlook",
      "onedrive",
      "sharepoint",
      "microsoft teams",
      "hotmail",
    ],
    [
      "microsoft.*",
      "microsoftonline.com",
      "office.com",
      "office365.com",
      "outlook.com",
      "live.com",
      "hotmail.com",
      "sharepoint.com",
      "onedrive.com",
      "1drv.ms",
      "msn.com",
      "skype.com",
    ],
  ),
  brand(
    "Google",
    ["google", "gmail", "google drive", "google docs"],
    ["google.*", "gmail.com", "googlemail.com", "youtube.com", "goo.gl", "g.co"],
  ),
  brand("Apple", ["apple", "icloud", "apple id", "itunes"], ["apple.*", "icloud.com", "me.com"]),
  brand("Amazon", ["amazon", "amazon prime"], ["amazon.*", "amazonses.com", "a.co"]),
  brand("PayPal", ["paypal"], ["paypal.*", "paypal-communication.com"]),
  brand("Netflix", ["netflix"], ["netflix.*"]),
  brand("DocuSign", ["docusign"], ["docusign.*"]),
  brand("Adobe", ["adobe", "adobe sign", "adobe acrobat"], ["adobe.*", "adobesign.com"]),
  brand("Dropbox", ["dropbox"], ["dropbox.*", "dropboxmail.com"]),
  brand("WeTransfer", ["wetransfer"], ["wetransfer.com", "we.tl"]),
  brand("Zoom", ["zoom video", "zoom meeting", "zoom us"], ["zoom.us", "zoom.com"]),
  brand(
    "Meta",
    ["facebook", "instagram", "whatsapp", "meta business"],
    [
      "facebook.*",
      "facebookmail.com",
      "fb.com",
      "instagram.com",
      "whatsapp.com",
      "meta.com",
      "metamail.com",
    ],
  ),
  brand("LinkedIn", ["linkedin"], ["linkedin.com", "lnkd.in"]),
  brand("DHL", ["dhl"], ["dhl.*"]),
  brand("FedEx", ["fedex"], ["fedex.*"]),
  brand("UPS", ["ups"], ["ups.com"]),
  brand("USPS", ["usps", "postal service"], ["usps.com", "usps.gov"]),
  brand("Royal Mail", ["royal mail"], ["royalmail.com"]),
  brand("GLS", ["gls"], ["gls-group.com", "gls-group.eu", "gls.*"]),
  brand("DPD", ["dpd"], ["dpd.*", "dpdgroup.com"]),
  brand("La Poste", ["la poste", "colissimo", "chronopost"], ["laposte.*", "colissimo.fr"]),
  brand("Correios", ["correios"], ["correios.com.br"]),
  brand("PostNL", ["postnl"], ["postnl.*"]),
  brand("Walmart", ["walmart"], ["walmart.*"]),
  brand("Sam's Club", ["sam s club", "sams club"], ["samsclub.com"]),
  brand("Target", ["target com", "target store"], ["target.com"]),
  brand("Lowe's", ["lowe s", "lowes"], ["lowes.com"]),
  brand("Home Depot", ["home depot"], ["homedepot.com"]),
  brand("T-Mobile", ["t mobile", "tmobile"], ["t-mobile.*"]),
  brand("Verizon", ["verizon"], ["verizon.*", "verizonwireless.com"]),
  brand("AT&T", ["at t", "att wireless"], ["att.com", "att.net"]),
  brand(
    "Mercado Livre",
    ["mercado livre", "mercado libre", "mercado pago"],
    ["mercadolivre.*", "mercadolibre.*", "mercadopago.*"],
  ),
  brand("Costco", ["costco"], ["costco.*"]),
  brand("eBay", ["ebay"], ["ebay.*"]),
  brand("Wells Fargo", ["wells fargo"], ["wellsfargo.com", "wf.com"]),
  brand("Chase", ["chase bank", "jpmorgan chase", "chase online"], ["chase.com", "jpmorgan.com"]),
  brand("Bank of America", ["bank of america"], ["bankofamerica.com", "bofa.com"]),
  brand("Citibank", ["citibank"], ["citi.com", "citibank.*"]),
  brand("American Express", ["american express", "amex"], ["americanexpress.*", "aexp.com"]),
  brand("HSBC", ["hsbc"], ["hsbc.*"]),
  brand("Barclays", ["barclays"], ["barclays.*"]),
  brand("Santander", ["santander"], ["santander.*"]),
  brand("ING", ["ing bank", "ing direct"], ["ing.*"]),
  brand("Deutsche Bank", ["deutsche bank"], ["deutsche-bank.de", "db.com"]),
  brand("Sparkasse", ["sparkasse"], ["sparkasse.de"]),
  brand("BNP Paribas", ["bnp paribas"], ["bnpparibas.*"]),
  brand("Bradesco", ["bradesco"], ["bradesco.com.br", "bradescocartoes.com.br"]),
  brand("Itaú", ["itau", "itaucard", "itaú"], ["itau.com.br"]),
  brand("Banco do Brasil", ["banco do brasil", "ourocard"], ["bb.com.br"]),
  brand("Caixa", ["caixa economica", "caixa tem"], ["caixa.gov.br"]),
  brand("Nubank", ["nubank"], ["nubank.com.br"]),
  brand("Livelo", ["livelo"], ["livelo.com.br"]),
  brand("Binance", ["binance"], ["binance.*"]),
  brand("Coinbase", ["coinbase"], ["coinbase.com"]),
  brand("MetaMask", ["metamask"], ["metamask.io"]),
  brand("Ledger", ["ledger live", "ledger wallet"], ["ledger.com"]),
  brand("Trust Wallet", ["trust wallet"], ["trustwallet.com"]),
  brand("Kraken", ["kraken"], ["kraken.com"]),
  brand("Crypto.com", ["crypto com"], ["crypto.com"]),
  brand("KuCoin", ["kucoin"], ["kucoin.com"]),
  brand("Tether", ["tether"], ["tether.to"]),
  brand("Uniswap", ["uniswap"], ["uniswap.org"]),
  brand("OpenSea", ["opensea"], ["opensea.io"]),
  brand("Trezor", ["trezor"], ["trezor.io"]),
  brand(
    "Norton",
    ["norton", "norton 360", "norton antivirus"],
    ["norton.com", "nortonlifelock.com"],
  ),
  brand("McAfee", ["mcafee"], ["mcafee.com"]),
  brand("Geek Squad", ["geek squad"], ["geeksquad.com", "bestbuy.com"]),
  brand("Yahoo", ["yahoo"], ["yahoo.*", "yahoo-inc.com"]),
  brand(
    "Proton",
    ["proton mail", "protonmail", "proton me"],
    ["proton.me", "protonmail.*", "pm.me"],
  ),
  brand("Spotify", ["spotify"], ["spotify.com"]),
  brand("Roblox", ["roblox"], ["roblox.com"]),
  brand("Internal Revenue Service", ["irs", "internal revenue service"], ["irs.gov"]),
  brand("HMRC", ["hmrc"], ["gov.uk"]),
];

function brand(name: string, names: readonly string[], domains: readonly string[]): PhishedBrand {
  return { name, names: names.map((n) => n.split(" ")), domains };
}

/** Characters of text searched for brand names. */
const MAX_BRAND_TEXT = 2_000;
/** Words compared at most. */
const MAX_BRAND_WORDS = 400;

/**
 * Text as its reader takes it, in words: compatibility forms folded (`𝕚ℂ𝕝𝕠𝕦𝕕` →
 * `icloud`), marks and invisible characters inserted between letters dropped
 * (`Aܿmܿaܿzܿon` → `amazon`), letters of other scripts that pass for Latin read as Latin
 * (UTS #39 skeleton: Greek `Νetflix` → `netflix`), lower-cased, split on anything that is
 * not a letter or digit.
 */
export function brandWords(text: string): string[] {
  const cut = text.slice(0, MAX_BRAND_TEXT);
  let plain = cut.toLowerCase();
  if (!isAscii(cut)) {
    // Character by character, so ASCII runs stay as written (the whole-text skeleton
    // would also read Latin `rn` as `m`).
    let out = "";
    for (const ch of cut.normalize("NFKC").normalize("NFD")) {
      if (/[\p{M}\p{Cf}]/u.test(ch)) continue;
      out += isAscii(ch) ? ch : skeleton(ch);
    }
    plain = out.toLowerCase();
  }
  return plain
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "")
    .slice(0, MAX_BRAND_WORDS);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return false;
  return true;
}

/** The brands a text names, each once, in list order. */
export function brandsNamed(words: readonly string[]): PhishedBrand[] {
  if (words.length === 0) return [];
  const present = new Set(words);
  return PHISHED_BRANDS.filter((b) =>
    b.names.some((run) => present.has(run[0] ?? "") && containsRun(words, run)),
  );
}

/** One-word brand names this long or longer are also found run into other words. */
const MIN_RUN_IN_NAME = 5;

/**
 * The brands whose one-word name of five letters or more is run into other words, as in
 * an address (`supportbinancewallet`); shorter names (`ups`, `dhl`) would match by chance.
 */
export function brandsRunInto(text: string): PhishedBrand[] {
  const lower = text.slice(0, MAX_BRAND_TEXT).toLowerCase();
  return PHISHED_BRANDS.filter((b) =>
    b.names.some(
      (run) =>
        run.length === 1 &&
        run[0] !== undefined &&
        run[0].length >= MIN_RUN_IN_NAME &&
        lower.includes(run[0]),
    ),
  );
}

/** Whether a registrable domain (`amazon.co.uk`) is one of the brand's own. */
export function isBrandDomain(b: PhishedBrand, registrable: string): boolean {
  const label = registrable.split(".")[0];
  return b.domains.some((d) => (d.endsWith(".*") ? d.slice(0, -2) === label : d === registrable));
}

/** Whether `words` holds `run` as consecutive words. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  outer: for (let i = 0; i + run.length <= words.length; i++) {
    for (let j = 0; j < run.length; j++) if (words[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}
