import type { SocialAccount, SocialPost } from "../../model/index.js";
import { LSH_BANDS, writeBandKeys } from "./lsh.js";
import { MinHasher } from "./minhash.js";
import { hashString, normaliseText, shingleHashesOfTokens, textTokens } from "./text-normalise.js";

/** Shingles a text needs to be compared: shorter ones ("So true!") repeat by chance. */
export const MIN_SHINGLES = 5;
/** Characters of each post's text kept for exemplars and top terms. */
export const MAX_KEPT_TEXT = 600;
/** Buckets of the hashed document-frequency table used for TF-IDF top terms. */
export const TERM_TABLE_SIZE = 1 << 20;
/** Posts one corpus holds: ids are Int32 and signatures must fit in memory. */
export const MAX_CORPUS_POSTS = 20_000_000;

/** A growable typed array: doubling, so appends are amortised O(1). */
class Grow<T extends Int32Array | Float64Array | Uint32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const bigger = this.make(Math.max(n, this.data.length * 2));
    bigger.set(this.data.subarray(0, this.length) as never);
    this.data = bigger;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const int32 = (n: number) => new Int32Array(n);
const float64 = (n: number) => new Float64Array(n);
const uint32 = (n: number) => new Uint32Array(n);

/** Interned strings: each distinct value gets the next small integer. */
export class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
  get(value: string): number | undefined {
    return this.ids.get(value);
  }
  get size(): number {
    return this.values.length;
  }
}

/**
 * Accounts and posts as compact columns, built one record at a time while a scan reads
 * its inputs: interned ids, typed arrays of times and references, each post's text
 * shingled and MinHashed as it arrives (so the text itself is kept only shortened).
 * A million posts take a few hundred megabytes, not the gigabytes of a million objects.
 *
 * @example
 * const corpus = new SocialCorpus();
 * for (const a of accounts) corpus.addAccount(a);
 * for (const p of posts) corpus.addPost(p);
 * const result = analyzeCoordination(corpus);
 */
export class SocialCorpus {
  /** `<platform>:<id>` of each account. */
  readonly accountKeys = new Interner();
  readonly accountHandle: Array<string | undefined> = [];
  private readonly created = new Grow(new Float64Array(1024), float64);
  /** The account's record was read (not only posts naming it). */
  private readonly described = new Grow(new Uint8Array(1024), (n) => new Uint8Array(n));

  /** `<platform>:post:<id>` of each post, for evidence. */
  readonly postIds: string[] = [];
  private readonly postAccount = new Grow(new Int32Array(1024), int32);
  private readonly postTime = new Grow(new Float64Array(1024), float64);
  readonly texts: string[] = [];
  /** Interned `<platform>:<post id>` a post reposts, or −1. */
  private readonly repostOf = new Grow(new Int32Array(1024), int32);
  readonly repostTargets = new Interner();
  readonly urls = new Interner();
  readonly domains = new Interner();
  readonly hashtags = new Interner();
  private readonly urlStart = new Grow(new Int32Array([0, 0, 0, 0]), int32);
  private readonly urlRefs = new Grow(new Int32Array(1024), int32);
  private readonly domainRefs = new Grow(new Int32Array(1024), int32);
  private readonly hashtagStart = new Grow(new Int32Array([0, 0, 0, 0]), int32);
  private readonly hashtagRefs = new Grow(new Int32Array(1024), int32);
  /** Shingle hashes of each comparable post, CSR: `shingleStart[i]..shingleStart[i+1]`. */
  private readonly shingleStart = new Grow(new Int32Array([0, 0, 0, 0]), int32);
  private readonly shingles = new Grow(new Uint32Array(4096), uint32);
  /** LSH band keys, `LSH_BANDS` per post (zeros for posts too short to compare). */
  private readonly bandKeys = new Grow(new Uint32Array(4096), uint32);
  /** Posts whose text has at least `MIN_SHINGLES` shingles. */
  private readonly comparable = new Grow(new Uint8Array(1024), (n) => new Uint8Array(n));
  /** Hashed document frequency of normalised terms, for TF-IDF. */
  readonly termDf = new Uint32Array(TERM_TABLE_SIZE);
  private readonly hasher: MinHasher;
  private readonly signature: Uint32Array;

  constructor(seed = 1) {
    this.hasher = new MinHasher(LSH_BANDS * 2, seed);
    this.signature = new Uint32Array(this.hasher.size);
    this.urlStart.length = 1;
    this.hashtagStart.length = 1;
    this.shingleStart.length = 1;
  }

  get accountCount(): number {
    return this.accountKeys.size;
  }

  get postCount(): number {
    return this.postIds.length;
  }

  /** Adds an account, or fills in one that posts named before. */
  addAccount(account: SocialAccount): number {
    const index = this.account(account.platform, account.id);
    if (account.handle !== undefined) this.accountHandle[index] = account.handle;
    if (account.created !== undefined) this.created.data[index] = Date.parse(account.created);
    this.described.data[index] = 1;
    return index;
  }

  /** Adds a post; its account need not have been read (yet). */
  addPost(post: SocialPost): void {
    if (this.postIds.length >= MAX_CORPUS_POSTS) {
      throw new RangeError(`a corpus holds at most ${MAX_CORPUS_POSTS} posts`);
    }
    const i = this.postIds.length;
    this.postIds.push(`${post.platform}:post:${post.id}`);
    this.postAccount.push(this.account(post.platform, post.account));
    this.postTime.push(Date.parse(post.created));
    this.repostOf.push(
      post.repostOf === undefined ? -1 : this.repostTargets.id(`${post.platform}:${post.repostOf}`),
    );
    for (const url of post.urls) {
      this.urlRefs.push(this.urls.id(canonicalUrl(url)));
      this.domainRefs.push(this.domains.id(urlDomain(url)));
    }
    this.urlStart.push(this.urlRefs.length);
    for (const tag of post.hashtags) this.hashtagRefs.push(this.hashtags.id(tag.toLowerCase()));
    this.hashtagStart.push(this.hashtagRefs.length);
    const text = post.repostOf === undefined ? post.text : "";
    this.texts.push(text.length > MAX_KEPT_TEXT ? text.slice(0, MAX_KEPT_TEXT) : text);
    const normalised = text === "" ? "" : normaliseText(text);
    const tokens = normalised === "" ? [] : textTokens(normalised);
    const shingles = tokens.length === 0 ? new Uint32Array(0) : shingleHashesOfTokens(tokens);
    const ok = shingles.length >= MIN_SHINGLES;
    this.comparable.push(ok ? 1 : 0);
    this.bandKeys.reserve((i + 1) * LSH_BANDS);
    this.bandKeys.length = (i + 1) * LSH_BANDS;
    if (ok) {
      this.shingles.reserve(this.shingles.length + shingles.length);
      this.shingles.data.set(shingles, this.shingles.length);
      this.shingles.length += shingles.length;
      this.hasher.signature(shingles, this.signature);
      writeBandKeys(this.signature, 0, this.bandKeys.data, i * LSH_BANDS);
      const seen = new Set<number>();
      for (const token of tokens) {
        const slot = hashString(token, 7) & (TERM_TABLE_SIZE - 1);
        if (seen.has(slot)) continue;
        seen.add(slot);
        this.termDf[slot] = (this.termDf[slot] as number) + 1;
      }
    }
    this.shingleStart.push(this.shingles.length);
  }

  private account(platform: string, id: string): number {
    const before = this.accountKeys.size;
    const index = this.accountKeys.id(`${platform}:${id}`);
    if (index === before) {
      this.created.push(Number.NaN);
      this.described.push(0);
      this.accountHandle.push(undefined);
    }
    return index;
  }

  /** The columns, as views (no copies), for the analysis. */
  columns(): CorpusColumns {
    return {
      accounts: this.accountKeys.size,
      posts: this.postIds.length,
      accountCreated: this.created.view(),
      postAccount: this.postAccount.view(),
      postTime: this.postTime.view(),
      repostOf: this.repostOf.view(),
      urlStart: this.urlStart.view(),
      urlRefs: this.urlRefs.view(),
      domainRefs: this.domainRefs.view(),
      hashtagStart: this.hashtagStart.view(),
      hashtagRefs: this.hashtagRefs.view(),
      shingleStart: this.shingleStart.view(),
      shingles: this.shingles.view(),
      bandKeys: this.bandKeys.view(),
      comparable: this.comparable.view(),
    };
  }
}

/** The typed columns of a corpus, indexed by account and post number. */
export interface CorpusColumns {
  accounts: number;
  posts: number;
  accountCreated: Float64Array;
  postAccount: Int32Array;
  postTime: Float64Array;
  repostOf: Int32Array;
  urlStart: Int32Array;
  urlRefs: Int32Array;
  domainRefs: Int32Array;
  hashtagStart: Int32Array;
  hashtagRefs: Int32Array;
  shingleStart: Int32Array;
  shingles: Uint32Array;
  bandKeys: Uint32Array;
  comparable: Uint8Array;
}

/**
 * A URL as compared between posts: scheme and `www.` dropped, host lower-cased, the
 * fragment and tracking parameters (`utm_*`, `fbclid`, …) removed, no trailing slash.
 */
export function canonicalUrl(url: string): string {
  let u = url.trim();
  const hash = u.indexOf("#");
  if (hash >= 0) u = u.slice(0, hash);
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^www\./i, "");
  const slash = u.search(/[/?]/);
  const host = (slash < 0 ? u : u.slice(0, slash)).toLowerCase();
  let rest = slash < 0 ? "" : u.slice(slash);
  const query = rest.indexOf("?");
  if (query >= 0) {
    const kept = rest
      .slice(query + 1)
      .split("&")
      .filter((p) => p !== "" && !/^(?:utm_[a-z]+|fbclid|gclid|igshid|s|t|ref)=/i.test(p));
    rest = rest.slice(0, query) + (kept.length > 0 ? `?${kept.join("&")}` : "");
  }
  return host + rest.replace(/\/+$/, "");
}

/** The host of a URL without `www.` and port, lower case (`https://WWW.Ex.com:8/a` → `ex.com`). */
export function urlDomain(url: string): string {
  const host = canonicalUrl(url).split(/[/?]/, 1)[0] ?? "";
  return host.replace(/:\d+$/, "").replace(/^.*@/, "");
}
