import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { VigilError } from "../errors.js";
import { AliasSampler } from "./alias-sampler.js";
import { HANDLE_TRICKS, trickHandle } from "./handle-tricks.js";
import { JsonlWriter } from "./jsonl-writer.js";
import { type CampaignLanguage, paraphrase } from "./paraphrase.js";
import { RhythmTimes } from "./rhythm-times.js";
import { SeededRandom } from "./seeded-random.js";
import type { SocialTruth, SynthCampaign, SynthImpersonator } from "./social-truth.js";
import {
  BACKGROUND_LANGUAGES,
  BUILT_IN_PEOPLE,
  CAMPAIGN_DOMAIN_SUFFIXES,
  CAMPAIGN_DOMAIN_TLDS,
  CAMPAIGN_DOMAIN_WORDS,
  CAMPAIGN_HASHTAGS,
  CAMPAIGN_LANGUAGES,
  CAMPAIGN_SEEDS,
  EVERGREEN_HASHTAGS,
  FIRST_NAMES,
  HANDLE_BASES,
  IDENTITY_CLAIMS,
  IMPERSONATED_OUTLETS,
  LAST_NAMES,
  LOCAL_NAMES,
  LOOKALIKE_TLDS,
  PERSONA_BIOS,
  PLACES,
  REPLIES,
  type SynthLanguage,
  TRENDING_HASHTAG_POOL,
} from "./social-vocabulary.js";
import {
  digitString,
  newsLink,
  organicBio,
  organicSentences,
  personaName,
  pickWeighted,
  slug,
  zipfPick,
} from "./synth-text.js";
import { TimeQueue } from "./time-queue.js";

/** Most accounts: every account is held in memory while posts are written. */
export const MAX_SYNTH_ACCOUNTS = 2_000_000;
/** Most posts: they are streamed, so this only bounds the run time and the disk used. */
export const MAX_SYNTH_POSTS = 50_000_000;
export const MAX_SYNTH_CAMPAIGNS = 100;
export const MAX_SYNTH_IMPERSONATORS = 1_000;
export const MAX_SYNTH_DAYS = 366;

/** The platform synthetic accounts and posts are on. */
export const SYNTH_PLATFORM = "x";
/** The start of X's snowflake ids (2010-11-04), so synthetic ids look and sort like X's. */
const SNOWFLAKE_EPOCH = 1_288_834_974_657;
const DAY_MS = 86_400_000;
const DEFAULT_START = "2024-10-01T00:00:00.000Z";

/** Share of posts planted campaigns make, before rounding to whole waves. */
const CAMPAIGN_SHARE = 0.04;
/** Share of background posts that repost, reply to or quote another post. */
const REPOST_SHARE = 0.2;
const REPLY_SHARE = 0.12;
const QUOTE_SHARE = 0.03;
/** Recent posts kept as reply and repost targets, and the pool of popular ones. */
const RECENT_POSTS = 20_000;
const HOT_POSTS = 5_000;

/** A person to impersonate: a name and, when known, their real handle. */
export interface SynthPerson {
  name: string;
  handle?: string;
  bio?: string;
}

export interface SocialSynthOptions {
  accounts: number;
  posts: number;
  campaigns: number;
  seed: number;
  /** Where accounts.jsonl, posts.jsonl and truth.json go (created if missing). */
  outDir: string;
  /** Accounts imitating the people; default: one per person, at most 6. */
  impersonators?: number;
  /** People to impersonate; default: eight fictional people. */
  people?: readonly SynthPerson[];
  /** First instant of the posts (ISO 8601); default 2024-10-01T00:00:00Z. */
  start?: string;
  /** Days the posts span; default 14. */
  days?: number;
  /** Replace existing output files instead of refusing to. */
  force?: boolean;
  onProgress?: (progress: { done: number; total: number }) => void;
}

export interface SocialSynthResult {
  files: { accounts: string; posts: string; truth: string };
  counts: SocialTruth["counts"];
}

type Role = "organic" | "genuine" | "campaign" | "impersonator";

interface Account {
  id: string;
  handle: string;
  displayName: string;
  bio: string;
  created: number;
  avatar: string | undefined;
  followers: number;
  following: number;
  links: string[];
  verified: boolean;
  lang: SynthLanguage;
  /** Relative posting rate of background posts. */
  weight: number;
  role: Role;
}

/** A post the generator writes at a planned time (campaign, impersonator, viral). */
interface PlannedPost {
  at: number;
  account: number;
  text: string;
  lang: SynthLanguage;
  urls?: string[];
  hashtags?: string[];
  /** Repost of the post written for this key (a wave's lead, a viral post). */
  repostOfKey?: string;
  /** Writing this post makes it the post of this key. */
  key?: string;
  /** When written, the viral post whose reposts to plan. */
  viral?: number;
  campaign?: number;
  impersonator?: boolean;
}

interface PostRef {
  id: string;
  account: number;
}

/**
 * Writes a synthetic social data set in vigil's JSON lines: `accounts.jsonl`,
 * `posts.jsonl` (in time order) and `truth.json`. Organic background — heavy-tailed
 * activity, a daily rhythm, reposts of popular posts, shared news links, trending
 * hashtags — with planted campaigns (accounts created within days of each other posting
 * paraphrases of a few texts in staggered waves, pushing the same links and hashtags,
 * reposting each other) and accounts impersonating people. The same options and seed
 * give the same bytes. Posts are streamed: memory grows with accounts, not posts.
 *
 * @example
 * await synthSocial({ accounts: 50_000, posts: 1_000_000, campaigns: 10, seed: 7, outDir: "synth" });
 */
export async function synthSocial(options: SocialSynthOptions): Promise<SocialSynthResult> {
  const plan = checkOptions(options);
  await mkdir(options.outDir, { recursive: true });
  const files = {
    accounts: join(options.outDir, "accounts.jsonl"),
    posts: join(options.outDir, "posts.jsonl"),
    truth: join(options.outDir, "truth.json"),
  };
  if (options.force !== true) {
    for (const path of Object.values(files)) {
      if (await exists(path)) {
        throw new VigilError(
          "VIGIL_ERR_SOCIAL_SYNTH",
          `${path} exists; choose another directory or replace it with --force`,
        );
      }
    }
  }
  try {
    return await new Generator(plan).run(files, options.onProgress);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw new VigilError(
      "VIGIL_ERR_SOCIAL_SYNTH",
      `cannot write ${options.outDir}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

interface Plan {
  accounts: number;
  posts: number;
  campaigns: number;
  impersonators: number;
  seed: number;
  people: readonly SynthPerson[];
  start: number;
  days: number;
}

function checkOptions(options: SocialSynthOptions): Plan {
  const whole = (value: number, name: string, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new VigilError(
        "VIGIL_ERR_SOCIAL_SYNTH",
        `${name} must be an integer from ${min} to ${max}, not ${value}`,
      );
    }
    return value;
  };
  const people = options.people ?? BUILT_IN_PEOPLE;
  const impersonators = whole(
    options.impersonators ?? Math.min(6, people.length),
    "impersonators",
    0,
    MAX_SYNTH_IMPERSONATORS,
  );
  if (impersonators > 0 && people.length === 0) {
    throw new VigilError("VIGIL_ERR_SOCIAL_SYNTH", "impersonators need people to imitate");
  }
  const start = Date.parse(options.start ?? DEFAULT_START);
  if (Number.isNaN(start)) {
    throw new VigilError("VIGIL_ERR_SOCIAL_SYNTH", `start is not a time: ${options.start}`);
  }
  const plan: Plan = {
    accounts: whole(options.accounts, "accounts", 1, MAX_SYNTH_ACCOUNTS),
    posts: whole(options.posts, "posts", 1, MAX_SYNTH_POSTS),
    campaigns: whole(options.campaigns, "campaigns", 0, MAX_SYNTH_CAMPAIGNS),
    impersonators,
    seed: whole(options.seed, "seed", 0, 2 ** 32 - 1),
    people,
    start,
    days: whole(options.days ?? 14, "days", 1, MAX_SYNTH_DAYS),
  };
  const planted =
    people.length + plan.campaigns * membersPerCampaign(plan.accounts) + impersonators;
  if (plan.accounts < planted + 20) {
    throw new VigilError(
      "VIGIL_ERR_SOCIAL_SYNTH",
      `${plan.accounts} accounts leave too few organic ones beside ${planted} planted and genuine accounts; ask for at least ${planted + 20}`,
    );
  }
  return plan;
}

/** Accounts per campaign: a few dozen at most, as in the networks platforms take down. */
function membersPerCampaign(accounts: number): number {
  return Math.max(6, Math.min(60, Math.round(accounts * 0.002)));
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

class Generator {
  private readonly accounts: Account[] = [];
  private readonly handles = new Set<string>();
  private accountSeq = 0;
  private postSeq = 0;
  private readonly end: number;
  private readonly campaigns: Array<SynthCampaign & { members: number[]; lang: CampaignLanguage }> =
    [];
  private readonly impersonators: SynthImpersonator[] = [];
  private readonly genuine: SocialTruth["genuineAccounts"] = [];
  private readonly trends: Array<{
    tag: string;
    from: number;
    to: number;
    peak: number;
    posts: number;
    accounts: Set<number>;
  }> = [];
  private readonly viral: Array<{
    post: string;
    account: number;
    created: number;
    reposters: number[];
  }> = [];
  private readonly planned: PlannedPost[] = [];
  private readonly keyed = new Map<string, string>();
  private readonly counts = { campaignPosts: 0, impersonatorPosts: 0, viralReposts: 0 };
  private postsWritten = 0;

  // Independent streams, so a change in one part leaves the others' draws alone.
  private readonly rAccounts: SeededRandom;
  private readonly rPlanted: SeededRandom;
  private readonly rPosts: SeededRandom;
  private readonly rText: SeededRandom;

  constructor(private readonly plan: Plan) {
    const root = new SeededRandom(plan.seed);
    this.rAccounts = root.fork("accounts");
    this.rPlanted = root.fork("planted");
    this.rPosts = root.fork("posts");
    this.rText = root.fork("text");
    this.end = plan.start + plan.days * DAY_MS;
  }

  async run(
    files: SocialSynthResult["files"],
    onProgress: SocialSynthOptions["onProgress"],
  ): Promise<SocialSynthResult> {
    this.makePeople();
    this.makeCampaigns();
    this.makeImpersonators();
    this.makeOrganicAccounts();
    this.planTrends();
    this.planViralPosts();
    await this.writeAccounts(files.accounts);
    await this.writePosts(files.posts, onProgress);
    const truth = this.truth();
    await writeFile(files.truth, `${JSON.stringify(truth, null, 2)}\n`);
    return { files, counts: truth.counts };
  }

  // ── accounts ──────────────────────────────────────────────────────────────

  private addAccount(account: Omit<Account, "id">): number {
    const seq = this.accountSeq++;
    // Accounts older than snowflake ids have the short numeric ids X gave then.
    const id =
      account.created < SNOWFLAKE_EPOCH
        ? String(10_000_000 + seq * 100 + (account.created % 100))
        : snowflake(account.created, seq);
    this.handles.add(account.handle.toLowerCase());
    this.accounts.push({ id, ...account });
    return this.accounts.length - 1;
  }

  /** `base`, or `base` with digits until no account has it. */
  private freeHandle(base: string, random: SeededRandom, digits = 0): string {
    let handle = digits > 0 ? base + digitString(random, digits) : base;
    while (this.handles.has(handle.toLowerCase()))
      handle = base + digitString(random, random.between(2, 4));
    return handle;
  }

  private makePeople(): void {
    const r = this.rPlanted;
    for (const person of this.plan.people) {
      const base = (person.handle ?? person.name)
        .replace(/^@/, "")
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, "");
      const handle = this.freeHandle(base === "" ? "person" : base, r);
      const created = Date.UTC(2010 + r.int(7), r.int(12), 1 + r.int(28), r.int(24), r.int(60));
      const index = this.addAccount({
        handle,
        displayName: person.name,
        bio: person.bio ?? `${person.name}. Official account.`,
        created,
        avatar: `avatars/${handle}.jpg`,
        followers: Math.round(r.logNormal(10, 1)),
        following: Math.round(r.logNormal(6, 0.8)),
        links: [],
        verified: true,
        lang: "en",
        weight: r.pareto(1.5, 2),
        role: "genuine",
      });
      this.genuine.push({ person: person.name, account: this.id(index), handle });
    }
  }

  private makeCampaigns(): void {
    const r = this.rPlanted;
    const size = membersPerCampaign(this.plan.accounts);
    const budget = this.plan.posts * CAMPAIGN_SHARE;
    for (let c = 0; c < this.plan.campaigns; c++) {
      const lang = CAMPAIGN_LANGUAGES[c % CAMPAIGN_LANGUAGES.length] as CampaignLanguage;
      const createdFrom = this.plan.start - r.between(20, 90) * DAY_MS + r.int(DAY_MS);
      const createdTo = createdFrom + 3 * DAY_MS;
      const members: number[] = [];
      const stock = r.int(1000);
      for (let m = 0; m < size; m++) {
        const { name, base } = personaName(lang, r);
        members.push(
          this.addAccount({
            handle: this.freeHandle(base, r, r.between(6, 8)),
            displayName: name,
            bio: r.chance(0.8) ? r.pick(PERSONA_BIOS[lang]) : "",
            created: createdFrom + r.int(createdTo - createdFrom),
            // Operators reuse a handful of stock pictures across their accounts.
            avatar: r.chance(0.6) ? `avatars/stock-${stock + r.int(8)}.jpg` : undefined,
            followers: Math.round(r.logNormal(2, 1)),
            following: r.between(100, 600),
            links: [],
            verified: false,
            lang,
            weight: 0.3,
            role: "campaign",
          }),
        );
      }
      const seeds = r.shuffle([...CAMPAIGN_SEEDS[lang]]).slice(0, 3);
      const hashtags = r.shuffle([...CAMPAIGN_HASHTAGS[lang]]).slice(0, r.between(2, 3));
      const domains = [
        `${r.pick(IMPERSONATED_OUTLETS)}${r.chance(0.5) ? "" : "-news"}.${r.pick(LOOKALIKE_TLDS)}`,
        `${r.pick(CAMPAIGN_DOMAIN_WORDS)}-${r.pick(CAMPAIGN_DOMAIN_WORDS)}-${r.pick(CAMPAIGN_DOMAIN_SUFFIXES)}.${r.pick(CAMPAIGN_DOMAIN_TLDS)}`,
      ];
      const activeFrom = this.plan.start + Math.floor(r.next() * this.plan.days * 0.5 * DAY_MS);
      const activeTo = Math.min(
        this.end - DAY_MS / 4,
        activeFrom + Math.max(DAY_MS / 2, this.plan.days * 0.4 * DAY_MS),
      );
      const campaign = {
        id: `campaign-${c + 1}`,
        language: lang,
        lang,
        members,
        accounts: members.map((i) => this.id(i)),
        seedTexts: seeds,
        hashtags,
        domains,
        createdFrom: iso(createdFrom),
        createdTo: iso(createdTo),
        activeFrom: iso(activeFrom),
        activeTo: iso(activeTo),
        posts: 0,
      };
      this.campaigns.push(campaign);
      const waves = Math.max(
        2,
        Math.min(40, Math.round(budget / Math.max(1, this.plan.campaigns) / (size * 1.15))),
      );
      this.planWaves(c, waves, activeFrom, activeTo);
    }
  }

  /**
   * Waves of a campaign: at a working hour of the operators' zone, each member (most of
   * them) posts a paraphrase of one seed text, in a shuffled order a minute or so apart
   * with jitter; some members then repost the first copy.
   */
  private planWaves(c: number, waves: number, from: number, to: number): void {
    const r = this.rPlanted;
    const campaign = this.campaigns[c] as (typeof this.campaigns)[number];
    // The operators' working day, 9:00–18:00 in their zone (UTC+3, Tehran +3:30, Beijing +8).
    const zone = campaign.lang === "zh" ? 8 : campaign.lang === "fa" ? 3.5 : 3;
    for (let w = 0; w < waves; w++) {
      const day = Math.floor((from + r.next() * (to - from)) / DAY_MS) * DAY_MS;
      const at = Math.min(to, Math.max(from, day + (9 - zone + r.next() * 9) * 3_600_000));
      const seed = r.pick(campaign.seedTexts);
      const link = r.chance(0.7)
        ? `https://${r.pick(campaign.domains)}/${new Date(at).toISOString().slice(0, 10).replaceAll("-", "/")}/${slug(seed, r)}`
        : undefined;
      const order = r.shuffle([...campaign.members]).filter(() => r.chance(0.85));
      const key = `wave:${c}:${w}`;
      let t = at;
      let leadAt = at;
      order.forEach((member, position) => {
        t += r.between(20, 120) * 1000;
        const postAt = t + Math.round(r.normal() * 90_000);
        if (position === 0) leadAt = postAt;
        const hashtags = r
          .shuffle([...campaign.hashtags])
          .slice(0, r.between(1, campaign.hashtags.length));
        const text = `${paraphrase(seed, campaign.lang, this.rText)}${link && r.chance(0.8) ? ` ${link}` : ""} ${hashtags.map((h) => `#${h}`).join(" ")}`;
        this.planned.push({
          at: postAt,
          account: member,
          text,
          lang: campaign.lang,
          ...(link && text.includes(link) ? { urls: [link] } : {}),
          hashtags,
          campaign: c,
          ...(position === 0 ? { key } : {}),
        });
        if (position > 0 && r.chance(0.3)) {
          // After the copy it reposts: the queue keeps the order of equal times.
          this.planned.push({
            at: leadAt + r.between(2, 40) * 60_000 + r.int(60_000),
            account: member,
            text: "",
            lang: campaign.lang,
            repostOfKey: key,
            campaign: c,
          });
        }
      });
    }
  }

  private makeImpersonators(): void {
    const r = this.rPlanted;
    const perImpersonator = Math.max(
      3,
      Math.min(40, Math.round((this.plan.posts * 0.002) / Math.max(1, this.plan.impersonators))),
    );
    for (let i = 0; i < this.plan.impersonators; i++) {
      const p = i % this.plan.people.length;
      const person = this.plan.people[p] as SynthPerson;
      // The people's genuine accounts were the first made: person p is account p.
      const genuine = this.accounts[p] as Account;
      const trick = HANDLE_TRICKS[r.int(HANDLE_TRICKS.length)] as (typeof HANDLE_TRICKS)[number];
      let handle = trickHandle(genuine.handle, trick, r);
      while (this.handles.has(handle.toLowerCase()))
        handle = trickHandle(handle, "added-digits", r);
      const nameCopied = r.chance(0.8);
      const bioCopied = r.chance(0.5);
      const bio = bioCopied
        ? genuine.bio
        : `${genuine.bio} ${r.pick(["Backup account.", "Fan page.", "Personal account.", "DMs open."])}`;
      const index = this.addAccount({
        handle,
        displayName: nameCopied
          ? genuine.displayName
          : `${genuine.displayName} ${r.pick(["🇺🇸", "✔️", "(backup)", "Official"])}`,
        bio,
        created: this.plan.start - r.between(1, 20) * DAY_MS + r.int(DAY_MS),
        avatar: genuine.avatar,
        followers: r.between(0, 200),
        following: r.between(50, 800),
        links: [],
        verified: false,
        lang: "en",
        weight: 0.5,
        role: "impersonator",
      });
      const campaign =
        this.campaigns.length > 0 && r.chance(0.5) ? r.int(this.campaigns.length) : undefined;
      this.impersonators.push({
        account: this.id(index),
        handle,
        person: person.name,
        genuineAccount: genuine.id,
        genuineHandle: genuine.handle,
        tricks: [
          `handle:${trick}`,
          `displayName:${nameCopied ? "copied" : "edited"}`,
          `bio:${bioCopied ? "copied" : "edited"}`,
          "avatar:copied",
        ],
        ...(campaign === undefined ? {} : { campaign: `campaign-${campaign + 1}` }),
      });
      // First a claim to be the person, then posts in their voice or for the campaign,
      // spread over the days.
      const spacing = (this.plan.days * DAY_MS) / perImpersonator;
      for (let n = 0; n < perImpersonator; n++) {
        const linked =
          campaign !== undefined
            ? (this.campaigns[campaign] as (typeof this.campaigns)[number])
            : undefined;
        let text: string;
        let urls: string[] | undefined;
        if (n === 0) text = r.pick(IDENTITY_CLAIMS);
        else if (linked !== undefined && r.chance(0.6)) {
          const link = `https://${r.pick(linked.domains)}/${slug(r.pick(linked.seedTexts), r)}`;
          text = `${r.pick(["Important read.", "Everyone needs to see this.", "I said this months ago.", "Please share."])} ${link}`;
          urls = [link];
        } else text = organicSentences("en", r);
        this.planned.push({
          at: this.plan.start + Math.floor((n + r.next()) * spacing),
          account: index,
          text,
          lang: "en",
          ...(urls ? { urls } : {}),
          impersonator: true,
        });
      }
    }
  }

  private makeOrganicAccounts(): void {
    const r = this.rAccounts;
    const count = this.plan.accounts - this.accounts.length;
    const latest = this.plan.start - 30 * DAY_MS;
    const earliest = Date.UTC(2009, 0, 1);
    for (let i = 0; i < count; i++) {
      const lang = pickWeighted(BACKGROUND_LANGUAGES, r);
      let displayName: string;
      let base: string;
      if (lang === "en") {
        const first = r.pick(FIRST_NAMES);
        const last = r.pick(LAST_NAMES);
        displayName = r.chance(0.1)
          ? `${first} ${last} ${r.pick(["🌻", "⚾", "🎸", "🏳️‍🌈", "🇺🇸", "☕"])}`
          : `${first} ${last}`;
        const l = last.toLowerCase().replace(/[^a-z]/g, "");
        const f = first.toLowerCase();
        base = r.pick([`${f}${l}`, `${f}_${l}`, `${f[0]}${l}`, `${f}${l[0]}`, `${l}${f[0]}`]);
      } else {
        displayName = r.pick(LOCAL_NAMES[lang]);
        base = r.pick(HANDLE_BASES[lang]);
      }
      const handle = this.freeHandle(base, r, r.chance(0.4) ? r.between(1, 4) : 0);
      const followers = Math.min(50_000_000, Math.round(r.logNormal(4.5, 1.7)));
      this.addAccount({
        handle,
        displayName,
        bio: lang === "en" && r.chance(0.8) ? organicBio(r) : r.chance(0.3) ? r.pick(PLACES) : "",
        created: earliest + Math.floor(r.next() * (latest - earliest)),
        avatar: r.chance(0.9) ? `avatars/${handle}.jpg` : undefined,
        followers,
        following: Math.round(r.logNormal(5.2, 1)),
        links: r.chance(0.15) ? [`https://${handle.replace(/_/g, "-")}.substack.com`] : [],
        verified: r.chance(0.01),
        lang,
        // Heavy-tailed: most accounts post rarely, a few post all day.
        weight: Math.min(2_000, r.pareto(1.2, 1)),
        role: "organic",
      });
    }
  }

  // ── organic crowds ────────────────────────────────────────────────────────

  private planTrends(): void {
    const r = this.rPlanted;
    const count = Math.max(2, Math.min(6, Math.round(this.plan.days / 3)));
    const tags = r.shuffle([...TRENDING_HASHTAG_POOL]).slice(0, count);
    for (const tag of tags) {
      const from =
        this.plan.start + Math.floor(r.next() * Math.max(1, this.plan.days - 1) * DAY_MS);
      const to = Math.min(this.end, from + r.between(12, 36) * 3_600_000);
      this.trends.push({
        tag,
        from,
        to,
        peak: 0.08 + r.next() * 0.1,
        posts: 0,
        accounts: new Set(),
      });
    }
  }

  /** Viral posts: organic accounts with a big audience whose post many others repost. */
  private planViralPosts(): void {
    const r = this.rPlanted;
    const count = Math.max(2, Math.min(12, Math.round(Math.sqrt(this.plan.posts) / 80)));
    const organic = this.organicIndexes();
    for (let v = 0; v < count; v++) {
      const account = this.popularOrganic(organic, r);
      const at = this.plan.start + Math.floor(r.next() * this.plan.days * 0.8 * DAY_MS);
      this.planned.push({
        at,
        account,
        text: organicSentences(this.accounts[account]?.lang ?? "en", r, 2),
        lang: this.accounts[account]?.lang ?? "en",
        key: `viral:${v}`,
        viral: v,
      });
    }
  }

  private viralReposts(): number {
    return Math.max(20, Math.min(3_000, Math.round(this.plan.posts * 0.002)));
  }

  private organicIndexes(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.accounts.length; i++)
      if (this.accounts[i]?.role === "organic") out.push(i);
    return out;
  }

  /** The most followed of a few organic accounts drawn at random. */
  private popularOrganic(organic: readonly number[], r: SeededRandom): number {
    let best = r.pick(organic);
    for (let k = 0; k < 20; k++) {
      const other = r.pick(organic);
      if ((this.accounts[other]?.followers ?? 0) > (this.accounts[best]?.followers ?? 0))
        best = other;
    }
    return best;
  }

  // ── writing ───────────────────────────────────────────────────────────────

  private async writeAccounts(path: string): Promise<void> {
    const writer = new JsonlWriter(path);
    // Shuffled, so planted accounts are not grouped in the file.
    const order = this.rAccounts.shuffle(this.accounts.map((_, i) => i));
    for (const i of order) {
      const a = this.accounts[i] as Account;
      await writer.write({
        type: "account",
        platform: SYNTH_PLATFORM,
        id: a.id,
        handle: a.handle,
        displayName: a.displayName,
        ...(a.bio === "" ? {} : { bio: a.bio }),
        created: iso(a.created),
        ...(a.avatar === undefined ? {} : { avatar: a.avatar }),
        followers: a.followers,
        following: a.following,
        ...(a.links.length === 0 ? {} : { links: a.links }),
        ...(a.verified ? { verified: true } : {}),
      });
    }
    await writer.close();
  }

  private async writePosts(
    path: string,
    onProgress: SocialSynthOptions["onProgress"],
  ): Promise<void> {
    const r = this.rPosts;
    const organic = this.organicIndexes();
    // Each viral post is reposted by this many distinct organic accounts, never its author.
    const reposts = Math.min(this.viralReposts(), organic.length - 1);
    const plannedTotal =
      this.planned.length + reposts * this.planned.filter((p) => p.viral !== undefined).length;
    const background = this.plan.posts - plannedTotal;
    if (background < this.plan.posts * 0.5) {
      throw new VigilError(
        "VIGIL_ERR_SOCIAL_SYNTH",
        `${this.plan.posts} posts are too few for ${this.plan.campaigns} campaigns and ${this.plan.impersonators} impersonators (${plannedTotal} planted posts); ask for at least ${plannedTotal * 2}`,
      );
    }
    const queue = new TimeQueue<PlannedPost>();
    for (const p of this.planned) queue.push(clampTime(p, this.plan.start, this.end - 1));
    const writer = new JsonlWriter(path);
    const sampler = new AliasSampler(this.accounts.map((a) => a.weight));
    const times = new RhythmTimes(this.plan.start, this.plan.days, background, r);
    const recent = new Array<PostRef>(RECENT_POSTS);
    let recentCount = 0;
    const hot: PostRef[] = [];
    let written = 0;
    /** Time of the last post written: posts.jsonl is in time order. */
    let clock = this.plan.start;
    const total = this.plan.posts;
    const emit = async (record: Record<string, unknown>) => {
      await writer.write(record);
      written++;
      if (written % 5_000 === 0) onProgress?.({ done: written, total });
    };
    const remember = (ref: PostRef, followers: number) => {
      recent[recentCount % RECENT_POSTS] = ref;
      recentCount++;
      // Posts by accounts with a bigger audience are likelier to be reposted.
      if (r.chance(Math.min(0.6, Math.log10(followers + 1) / 8))) pushHot(hot, ref, r);
    };
    const writePlanned = async (planned: PlannedPost) => {
      // A repost planned while writing may fall before the last post written: not earlier.
      const p = planned.at < clock ? { ...planned, at: clock } : planned;
      clock = p.at;
      const account = this.accounts[p.account] as Account;
      const id = snowflake(p.at, this.postSeq++);
      const repostOf = p.repostOfKey === undefined ? undefined : this.keyed.get(p.repostOfKey);
      if (p.repostOfKey !== undefined && repostOf === undefined) {
        throw new Error(`internal: repost of ${p.repostOfKey} planned before it`);
      }
      await emit({
        type: "post",
        platform: SYNTH_PLATFORM,
        id,
        account: account.id,
        created: iso(p.at),
        text: p.text,
        ...(p.urls ? { urls: p.urls } : {}),
        ...(p.hashtags && p.hashtags.length > 0 ? { hashtags: p.hashtags } : {}),
        ...(repostOf === undefined ? {} : { repostOf }),
        lang: p.lang,
      });
      if (p.campaign !== undefined) {
        this.counts.campaignPosts++;
        (this.campaigns[p.campaign] as SynthCampaign).posts++;
      }
      if (p.impersonator) this.counts.impersonatorPosts++;
      if (p.repostOfKey?.startsWith("viral:")) this.counts.viralReposts++;
      if (p.key !== undefined) this.keyed.set(p.key, id);
      if (p.viral !== undefined) {
        // The crowd: distinct organic accounts, most within hours, a tail over days.
        const pool = organic.filter((i) => i !== p.account);
        for (let k = 0; k < reposts; k++) {
          const j = k + r.int(pool.length - k);
          [pool[k], pool[j]] = [pool[j] as number, pool[k] as number];
        }
        const reposters = pool.slice(0, reposts);
        this.viral.push({ post: id, account: p.account, created: p.at, reposters });
        for (const who of reposters) {
          queue.push({
            at: Math.min(this.end - 1, p.at + 60_000 + Math.round(r.logNormal(15.5, 1.3))),
            account: who,
            text: "",
            lang: this.accounts[who]?.lang ?? "en",
            repostOfKey: p.key as string,
          });
        }
      }
      // Campaign posts stay out of the organic reply and repost targets.
      if (p.repostOfKey === undefined && p.campaign === undefined) {
        remember({ id, account: p.account }, account.followers);
      }
    };

    for (let i = 0; i < background; i++) {
      const at = times.next();
      for (let p = queue.peek(); p !== undefined && p.at <= at; p = queue.peek()) {
        queue.pop();
        await writePlanned(p);
      }
      clock = at;
      const index = sampler.sample(r);
      const account = this.accounts[index] as Account;
      const id = snowflake(at, this.postSeq++);
      const base = {
        type: "post",
        platform: SYNTH_PLATFORM,
        id,
        account: account.id,
        created: iso(at),
      };
      const roll = r.next();
      const target = recentCount > 0 ? pickTarget(recent, recentCount, hot, r) : undefined;
      if (target !== undefined && target.account !== index && roll < REPOST_SHARE) {
        pushHot(hot, target, r);
        await emit({ ...base, text: "", repostOf: target.id, lang: account.lang });
        continue;
      }
      if (target !== undefined && target.account !== index && roll < REPOST_SHARE + REPLY_SHARE) {
        const to = this.accounts[target.account] as Account;
        await emit({
          ...base,
          text: `@${to.handle} ${r.pick(REPLIES[account.lang])}`,
          mentions: [to.handle],
          replyTo: target.id,
          lang: account.lang,
        });
        continue;
      }
      const original = this.organicPost(account, index, at, r);
      const quote =
        target !== undefined &&
        target.account !== index &&
        roll < REPOST_SHARE + REPLY_SHARE + QUOTE_SHARE;
      await emit({
        ...base,
        ...original,
        ...(quote ? { quoteOf: target.id } : {}),
        lang: account.lang,
      });
      remember({ id, account: index }, account.followers);
    }
    for (let p = queue.pop(); p !== undefined; p = queue.pop()) await writePlanned(p);
    await writer.close();
    onProgress?.({ done: written, total });
    this.postsWritten = written;
  }

  /** An original organic post: one to three sentences, maybe hashtags and a news link. */
  private organicPost(
    account: Account,
    index: number,
    at: number,
    r: SeededRandom,
  ): Record<string, unknown> {
    // Mostly two sentences or more: one short sentence alone would repeat across accounts.
    const sentences = r.chance(0.15) ? 1 : r.chance(0.7) ? 2 : 3;
    let text = organicSentences(account.lang, r, sentences);
    const hashtags: string[] = [];
    for (const trend of this.trends) {
      if (at < trend.from || at >= trend.to) continue;
      // A triangle: the trend rises to its peak halfway through its window and falls.
      const phase = (at - trend.from) / (trend.to - trend.from);
      if (r.chance(trend.peak * (1 - Math.abs(2 * phase - 1)) * 2)) {
        hashtags.push(trend.tag);
        if (account.role === "organic" || account.role === "genuine") {
          trend.posts++;
          trend.accounts.add(index);
        }
      }
    }
    if (r.chance(0.2)) hashtags.push(zipfPick(EVERGREEN_HASHTAGS, r));
    const urls: string[] = [];
    if (r.chance(0.2)) urls.push(newsLink(at, r));
    if (urls.length > 0) text += ` ${urls[0]}`;
    if (hashtags.length > 0) text += ` ${hashtags.map((h) => `#${h}`).join(" ")}`;
    return {
      text,
      ...(urls.length > 0 ? { urls } : {}),
      ...(hashtags.length > 0 ? { hashtags } : {}),
    };
  }

  private id(index: number): string {
    return (this.accounts[index] as Account).id;
  }

  private truth(): SocialTruth {
    const counts = { organic: 0, genuine: 0, campaign: 0, impersonator: 0 };
    for (const a of this.accounts) counts[a.role]++;
    return {
      generator: "vigil synth social",
      version: 1,
      seed: this.plan.seed,
      platform: SYNTH_PLATFORM,
      parameters: {
        accounts: this.plan.accounts,
        posts: this.plan.posts,
        campaigns: this.plan.campaigns,
        impersonators: this.plan.impersonators,
        start: iso(this.plan.start),
        days: this.plan.days,
      },
      counts: {
        accounts: this.accounts.length,
        posts: this.postsWritten,
        organicAccounts: counts.organic,
        genuineAccounts: counts.genuine,
        campaignAccounts: counts.campaign,
        impersonatorAccounts: counts.impersonator,
        ...this.counts,
      },
      campaigns: this.campaigns.map(({ members: _m, lang: _l, ...c }) => c),
      impersonators: this.impersonators,
      genuineAccounts: this.genuine,
      trendingHashtags: this.trends.map((t) => ({
        tag: t.tag,
        from: iso(t.from),
        to: iso(t.to),
        posts: t.posts,
        accounts: [...t.accounts].map((i) => this.id(i)),
      })),
      viralPosts: this.viral.map((v) => ({
        post: v.post,
        account: this.id(v.account),
        created: iso(v.created),
        reposts: v.reposters.length,
        reposters: v.reposters.map((i) => this.id(i)),
      })),
    };
  }
}

// ── helpers ─────────────────────────────────────────────────────────────────

/** An X-style id: milliseconds since the snowflake epoch, then a 22-bit sequence. */
function snowflake(ms: number, seq: number): string {
  return (
    (BigInt(Math.max(0, Math.floor(ms) - SNOWFLAKE_EPOCH)) << 22n) |
    BigInt(seq & 0x3fffff)
  ).toString();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function clampTime(p: PlannedPost, from: number, to: number): PlannedPost {
  return { ...p, at: Math.round(Math.min(to, Math.max(from, p.at))) };
}

function pushHot(hot: PostRef[], ref: PostRef, r: SeededRandom): void {
  if (hot.length < HOT_POSTS) hot.push(ref);
  else hot[r.int(HOT_POSTS)] = ref;
}

/** A reply or repost target: a popular post (by the urn of reposts) or a recent one. */
function pickTarget(
  recent: PostRef[],
  count: number,
  hot: PostRef[],
  r: SeededRandom,
): PostRef | undefined {
  if (hot.length > 0 && r.chance(0.7)) return r.pick(hot);
  const size = Math.min(count, RECENT_POSTS);
  // Mostly the latest posts: a reply comes soon after what it answers.
  const back = Math.min(size - 1, Math.floor(r.exponential(size / 8)));
  return recent[(count - 1 - back) % RECENT_POSTS];
}
