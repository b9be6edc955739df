/*
 * Services that phishing uses because they are free, trusted by filters or hide where a
 * link goes. Lists of registrable domains (or hosts) matched exactly or as a parent of
 * the host; kept short and common, since each is a named, explainable reason.
 */

/** Free mail providers: anyone can open an address there under any display name. */
export const FREEMAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "ymail.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.net",
  "gmx.de",
  "web.de",
  "mail.com",
  "mail.ru",
  "bk.ru",
  "inbox.ru",
  "list.ru",
  "yandex.com",
  "yandex.ru",
  "zoho.com",
  "tutanota.com",
  "tuta.io",
  "qq.com",
  "163.com",
  "126.com",
  "fastmail.com",
  "hushmail.com",
  "rediffmail.com",
  "seznam.cz",
  "libero.it",
  "laposte.net",
  "orange.fr",
  "t-online.de",
  "rambler.ru",
  "naver.com",
  "daum.net",
]);

/** URL shorteners: the reader cannot see where the link goes. */
export const SHORTENER_HOSTS: ReadonlySet<string> = new Set([
  "bit.ly",
  "bitly.com",
  "tinyurl.com",
  "t.co",
  "goo.gl",
  "ow.ly",
  "is.gd",
  "buff.ly",
  "rebrand.ly",
  "cutt.ly",
  "shorturl.at",
  "rb.gy",
  "t.ly",
  "tiny.cc",
  "s.id",
  "v.gd",
  "lnkd.in",
  "bl.ink",
  "short.io",
  "shorte.st",
  "adf.ly",
  "clck.ru",
  "qrco.de",
  "tiny.one",
  "u.to",
  "x.gd",
  "urlz.fr",
  "surl.li",
  "linktr.ee",
]);

/** File-sharing services: a lure document link, or a payload behind a trusted name. */
export const FILE_SHARING_HOSTS: ReadonlySet<string> = new Set([
  "drive.google.com",
  "docs.google.com",
  "dropbox.com",
  "dl.dropboxusercontent.com",
  "onedrive.live.com",
  "1drv.ms",
  "sharepoint.com",
  "wetransfer.com",
  "we.tl",
  "box.com",
  "app.box.com",
  "mega.nz",
  "mediafire.com",
  "sendspace.com",
  "4shared.com",
  "icloud.com",
  "files.fm",
  "gofile.io",
  "pcloud.com",
  "sync.com",
  "transfernow.net",
  "smash.gg",
  "filemail.com",
  "jumpshare.com",
  "dropmefiles.com",
  "anonfiles.com",
  "docsend.com",
]);

/** Form and survey services: a login form needs no server of the attacker's own. */
export const FORM_HOSTS: ReadonlySet<string> = new Set([
  "forms.gle",
  "forms.office.com",
  "forms.microsoft.com",
  "typeform.com",
  "jotform.com",
  "surveymonkey.com",
  "formstack.com",
  "wufoo.com",
  "cognitoforms.com",
  "123formbuilder.com",
  "formsite.com",
  "zohopublic.com",
  "paperform.co",
  "tally.so",
]);

/** Paths of a file-sharing host that are forms (`docs.google.com/forms/`). */
export const FORM_PATHS: readonly RegExp[] = [/^docs\.google\.com\/forms\//];

/** Free hosting and app platforms: a page up in minutes under a reputable parent name. */
export const FREE_HOSTING_SUFFIXES: readonly string[] = [
  "web.app",
  "firebaseapp.com",
  "pages.dev",
  "workers.dev",
  "glitch.me",
  "netlify.app",
  "vercel.app",
  "herokuapp.com",
  "weebly.com",
  "wixsite.com",
  "blogspot.com",
  "000webhostapp.com",
  "ngrok.io",
  "ngrok-free.app",
  "repl.co",
  "azurewebsites.net",
  "blob.core.windows.net",
  "web.core.windows.net",
  "firebasestorage.googleapis.com",
  "storage.googleapis.com",
  "r2.dev",
  "ipfs.io",
  "dweb.link",
  "square.site",
  "godaddysites.com",
  "webflow.io",
  "mystrikingly.com",
  "sites.google.com",
  "github.io",
  "gitbook.io",
  "notion.site",
  "canva.site",
  "framer.app",
  "surge.sh",
  "onrender.com",
  "fly.dev",
  "amplifyapp.com",
  "s3.amazonaws.com",
  "cprapid.com",
  "wcomhost.com",
];

/** Whether `host` is `domain` or below it. */
export function isAtOrBelow(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** The list entry `host` is at or below, if any. */
export function listedParent(host: string, list: Iterable<string>): string | undefined {
  for (const domain of list) if (isAtOrBelow(host, domain)) return domain;
  return undefined;
}
