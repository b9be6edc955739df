import { MAX_HANDLE_LENGTH } from "../../model/index.js";

/** A handle listed on the watchlist, with the platform it is on when the entry says. */
export interface HandleRef {
  /** Lower-case platform name (`x`, `telegram`); undefined: the handle on any platform. */
  platform?: string;
  /** The handle as listed, without `@`. */
  handle: string;
}

/** Other names of a platform, as people write them in a watchlist. */
const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  twitter: "x",
  "x.com": "x",
  "twitter.com": "x",
  tg: "telegram",
  "t.me": "telegram",
  ig: "instagram",
  fb: "facebook",
};

/** Profile URL hosts and the platform they belong to. */
const PROFILE_HOSTS: Readonly<Record<string, string>> = {
  "x.com": "x",
  "twitter.com": "x",
  "mobile.twitter.com": "x",
  "t.me": "telegram",
  "telegram.me": "telegram",
  "instagram.com": "instagram",
  "facebook.com": "facebook",
  "threads.net": "threads",
  "tiktok.com": "tiktok",
  "youtube.com": "youtube",
};

const PLATFORM = /^[a-z0-9][a-z0-9._-]{0,39}$/;
const HANDLE = /^[^\s\p{Cc}/:@]+$/u;

/**
 * Reads a handle as a watchlist lists it: `@dana_w` (any platform), `x:@dana_w` or
 * `twitter:dana_w` (that platform only), or a profile URL (`https://x.com/dana_w`,
 * `t.me/dana_w`). Returns undefined for text that is none of these (an e-mail address,
 * a sentence), which the index skips: the watchlist's `handles` accepted any text
 * before handles were matched, and such a file stays valid.
 *
 * @example parseHandleRef("x:@dana_w") // { platform: "x", handle: "dana_w" }
 */
export function parseHandleRef(text: string): HandleRef | undefined {
  const t = text.trim();
  const url =
    /^(?:https?:\/\/)?(?:www\.)?([a-z0-9.-]+\.[a-z]+)\/@?([^/?#\s]+)\/?(?:[?#].*)?$/i.exec(t);
  if (url) {
    const platform = PROFILE_HOSTS[(url[1] as string).toLowerCase()];
    return platform === undefined ? undefined : checked(platform, url[2] as string);
  }
  const prefixed = /^([A-Za-z0-9._-]+):\s*@?(.+)$/.exec(t);
  if (prefixed) {
    const name = (prefixed[1] as string).toLowerCase();
    return checked(PLATFORM_NAMES[name] ?? name, prefixed[2] as string);
  }
  return checked(undefined, t.replace(/^@/, ""));
}

function checked(platform: string | undefined, handle: string): HandleRef | undefined {
  if (handle === "" || handle.length > MAX_HANDLE_LENGTH || !HANDLE.test(handle)) return undefined;
  if (platform !== undefined && !PLATFORM.test(platform)) return undefined;
  return platform === undefined ? { handle } : { platform, handle };
}

/** The platform name a social account carries, with the same aliases (`twitter` is `x`). */
export function canonicalPlatform(platform: string): string {
  const p = platform.toLowerCase();
  return PLATFORM_NAMES[p] ?? p;
}
