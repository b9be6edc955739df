import { VigilError } from "../../errors.js";
import {
  type Evidence,
  type Finding,
  findingId,
  MAX_BIO_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_HANDLE_LENGTH,
  MAX_SOCIAL_URL_LENGTH,
  type Observation,
  type SocialAccount,
  severityFor,
  type Target,
  type Technique,
  type Watchlist,
} from "../../model/index.js";
import type { Detector, DetectResult, ItemProblem } from "../detector.js";
import { canonicalPlatform } from "./handle-ref.js";
import { bioTokens, hasDisguisedLetters, jaccard, nameTokens } from "./name-tokens.js";
import { hammingDistance, isPerceptualHash } from "./perceptual-hash.js";
import { type HandleMatch, type NameMatch, PersonaIndex } from "./persona-index.js";
import {
  CREATED_BEFORE_FACTOR,
  combine,
  DECLARED_FAN_FACTOR,
  DECLARED_PARODY_FACTOR,
  declaredStatus,
  findClaim,
  findPostClaims,
  NEAR_AVATAR_WEIGHT,
  PERSONA_RULE_WEIGHTS,
  type PersonaCut,
  type PostClaim,
  type Signal,
} from "./personas-features.js";

export const PERSONAS_DETECTOR_NAME = "personas";
/** Bump when rules or weights change, so stored findings say which scoring made them. */
export const PERSONAS_DETECTOR_VERSION = "1.1.0";
/** Findings scoring below this are not reported, unless the options say otherwise. */
export const DEFAULT_PERSONAS_THRESHOLD = 0.6;
/** Most bits two 64-bit avatar hashes may differ in and still be the same picture. */
export const MAX_AVATAR_HAMMING = 10;
/** Bits within which a picture counts as the same at full weight (re-encoded, resized). */
export const CLOSE_AVATAR_HAMMING = 4;
/** Fewest words of a genuine bio compared: shorter bios are alike by chance. */
export const MIN_BIO_WORDS = 3;
/** Jaccard similarity of bios from which a bio counts as edited from the genuine one. */
export const MIN_BIO_JACCARD = 0.5;
/** …and from which it counts as copied. */
export const COPIED_BIO_JACCARD = 0.9;
/**
 * Accounts whose posts' identity claims are kept (`rememberPostClaims`): a stream of
 * millions of posts must not grow this without bound. Past it, claims are not kept.
 */
export const MAX_CLAIMING_ACCOUNTS = 100_000;
/** Claims kept per account: one says it, a few show it is repeated. */
export const MAX_CLAIMS_PER_ACCOUNT = 3;
/** Genuine profiles kept per person, outlet or organisation, over all batches. */
export const MAX_GENUINE_PER_PERSONA = 100;

/*
 * Techniques, with ids and names copied from the DISARM framework's STIX bundle
 * (shared data: stix/DISARM.json) and from MITRE ATT&CK Enterprise (T1656).
 */
/** DISARM T0143.003: presenting as an existing person or institution. */
const IMPERSONATED_PERSONA: Technique = {
  framework: "DISARM",
  id: "T0143.003",
  name: "Impersonated Persona",
};
/** ATT&CK T1656: posing as a trusted person or organisation. */
const ATTACK_IMPERSONATION: Technique = {
  framework: "ATT&CK",
  id: "T1656",
  name: "Impersonation",
};
/** How the persona presents, by what it imitates (DISARM T0097). */
const PERSONA_OF: Readonly<Record<Target["type"], Technique>> = {
  person: { framework: "DISARM", id: "T0097.100", name: "Individual Persona" },
  outlet: { framework: "DISARM", id: "T0097.202", name: "News Outlet Persona" },
  organisation: { framework: "DISARM", id: "T0097.200", name: "Institutional Persona" },
};
/** DISARM T0146.005: a username visually similar to another account's. */
const LOOKALIKE_ACCOUNT_ID: Technique = {
  framework: "DISARM",
  id: "T0146.005",
  name: "Lookalike Account ID",
};
/** DISARM T0145.001: account imagery copied from an existing account. */
const COPY_ACCOUNT_IMAGERY: Technique = {
  framework: "DISARM",
  id: "T0145.001",
  name: "Copy Account Imagery",
};
/** DISARM T0150.001: an asset created for the operation. */
const NEWLY_CREATED_ASSET: Technique = {
  framework: "DISARM",
  id: "T0150.001",
  name: "Newly Created Asset",
};
/** DISARM T0143.004: a persona that declares itself a parody. */
const PARODY_PERSONA: Technique = { framework: "DISARM", id: "T0143.004", name: "Parody Persona" };

/** Every technique this detector may name, for catalogues and tests. */
export const PERSONA_TECHNIQUES: readonly Technique[] = [
  IMPERSONATED_PERSONA,
  ...Object.values(PERSONA_OF),
  LOOKALIKE_ACCOUNT_ID,
  COPY_ACCOUNT_IMAGERY,
  NEWLY_CREATED_ASSET,
  PARODY_PERSONA,
  ATTACK_IMPERSONATION,
];

/** Options of the personas detector; all I/O (reading pictures, the store) is done before. */
export interface PersonasDetectorOptions {
  /** Findings scoring below this are not reported (0..1; default 0.6). */
  threshold?: number;
  /**
   * Perceptual hashes (16 hex digits, from `hashAvatarFile`) of pictures, keyed by the
   * path or URL as an account's `avatar` or a person's `photos` writes it. Pictures
   * without a hash are compared by their path only.
   */
  avatarHashes?: ReadonlyMap<string, string>;
  /**
   * Known profiles of genuine accounts (read from the store), whose bio, picture and
   * creation time impersonators are compared with; genuine accounts in the same batch
   * are used as well.
   */
  genuineAccounts?: readonly SocialAccount[];
}

/** The fields of an account the detector reads. */
interface AccountView {
  platform: string;
  id: string;
  handle?: string;
  displayName?: string;
  bio?: string;
  created?: string;
  avatar?: string;
}

/** A genuine account's profile, prepared for comparison. */
interface GenuineProfile {
  account: AccountView;
  bio?: Set<string>;
}

/**
 * Flags social accounts that imitate a person, outlet or organisation on the watchlist:
 * lookalike handles, the protected name as display name, a copied bio or picture, a
 * claim to be them, created after the genuine account. Accounts the watchlist lists as
 * theirs are never flagged. Pure: the index is built once from the watchlist; pictures
 * are hashed beforehand (`hashAvatarFiles`) and passed in.
 *
 * @example
 * const detector = new PersonasDetector(watchlist);
 * const { findings } = detector.detect(accountObservations);
 */
export class PersonasDetector implements Detector {
  readonly name = PERSONAS_DETECTOR_NAME;
  readonly version = PERSONAS_DETECTOR_VERSION;
  readonly kinds = ["account"] as const;
  readonly index: PersonaIndex;
  private readonly threshold: number;
  private readonly avatarHashes: Map<string, string>;
  /** Genuine profiles given or learnt from the stream (`rememberGenuine`), by persona. */
  private readonly knownGenuine: Map<number, GenuineProfile[]>;
  /** Identity claims in posts, by `<platform>\0<account id>`, as the snippets said. */
  private readonly postClaims = new Map<string, PostClaim[]>();

  constructor(watchlist: Watchlist, options: PersonasDetectorOptions = {}) {
    const threshold = options.threshold ?? DEFAULT_PERSONAS_THRESHOLD;
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `personas threshold must be from 0 to 1, not ${threshold}`,
      );
    }
    for (const [path, hash] of options.avatarHashes ?? []) {
      if (!isPerceptualHash(hash)) {
        throw new VigilError(
          "VIGIL_ERR_CONFIG_INVALID",
          `avatar hash of ${path} must be 16 hex digits, not "${String(hash).slice(0, 40)}"`,
        );
      }
    }
    this.threshold = threshold;
    this.avatarHashes = new Map(options.avatarHashes ?? []);
    this.index = PersonaIndex.fromWatchlist(watchlist);
    const known = new Map<number, GenuineProfile[]>();
    for (const account of options.genuineAccounts ?? []) {
      const read = readAccount(account as unknown as Record<string, unknown>);
      if (typeof read !== "string") this.addGenuine(known, read);
    }
    this.knownGenuine = known;
  }

  detect(observations: readonly Observation[]): DetectResult {
    const findings: Finding[] = [];
    const problems: ItemProblem[] = [];
    const accounts: Array<{ observation: Observation; account: AccountView }> = [];
    for (const observation of observations) {
      if (observation.kind !== "account") continue;
      const read = readAccount(observation.data);
      if (typeof read === "string") {
        problems.push({ item: observation.source, code: "VIGIL_ERR_SOCIAL_RECORD", message: read });
        continue;
      }
      accounts.push({ observation, account: read });
    }
    // Genuine accounts in this batch tell what the genuine bio, picture and age are.
    const genuine = new Map<number, GenuineProfile[]>(
      [...this.knownGenuine].map(([p, list]) => [p, [...list]]),
    );
    const isGenuine = accounts.map(({ account }) => {
      if (account.handle === undefined) return false;
      const personas = this.index.genuineOf(account.platform, account.handle);
      if (personas.length === 0) return false;
      this.addGenuine(genuine, account);
      return true;
    });
    accounts.forEach(({ observation, account }, i) => {
      if (isGenuine[i]) return;
      for (const finding of this.judge(account, observation, genuine)) findings.push(finding);
    });
    return { findings, problems };
  }

  /**
   * Learns a genuine account's profile from an `account` observation's data, for the
   * batches detected after: a stream holds the genuine account and its imitators in
   * different batches. Returns whether the account is one the watchlist lists (genuine).
   */
  rememberGenuine(data: Record<string, unknown>): boolean {
    const read = readAccount(data);
    if (typeof read === "string" || read.handle === undefined) return false;
    if (this.index.genuineOf(read.platform, read.handle).length === 0) return false;
    this.addGenuine(this.knownGenuine, read);
    return true;
  }

  /**
   * Whether an `account` observation's data could be an imitation: not a listed account,
   * and a handle or display name that matches a person, outlet or organisation. Only
   * these are judged, so a stream can hold them back until it has read everything.
   */
  isCandidate(data: Record<string, unknown>): boolean {
    const read = readAccount(data);
    if (typeof read === "string") return false;
    if (read.handle !== undefined) {
      if (this.index.genuineOf(read.platform, read.handle).length > 0) return false;
      if (this.index.matchHandle(read.platform, read.handle).length > 0) return true;
    }
    const name = read.displayName;
    return (
      name !== undefined &&
      name.trim() !== "" &&
      this.index.matchName(name, hasDisguisedLetters(name)).length > 0
    );
  }

  /** Adds the perceptual hash of a picture, keyed by the path as accounts write it. */
  addAvatarHash(reference: string, hash: string): void {
    if (!isPerceptualHash(hash)) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `avatar hash of ${reference} must be 16 hex digits, not "${String(hash).slice(0, 40)}"`,
      );
    }
    this.avatarHashes.set(reference, hash);
  }

  /**
   * Keeps what a post says about its account's identity ("my old account was hacked",
   * "this is my new account", "I am <name>"), for when the account is judged. Posts of
   * accounts that turn out not to imitate anyone are never used. Returns whether a claim
   * was kept.
   */
  rememberPostClaims(platform: string, account: string, text: string): boolean {
    const claims = findPostClaims(text);
    if (claims.length === 0) return false;
    const key = `${canonicalPlatform(platform)}\0${account}`;
    let kept = this.postClaims.get(key);
    if (kept === undefined) {
      if (this.postClaims.size >= MAX_CLAIMING_ACCOUNTS) return false;
      kept = [];
      this.postClaims.set(key, kept);
    }
    for (const claim of claims) {
      if (kept.length >= MAX_CLAIMS_PER_ACCOUNT) break;
      if (!kept.some((k) => k.snippet === claim.snippet)) kept.push(claim);
    }
    return true;
  }

  /** Records a genuine account's profile under each persona it belongs to. */
  private addGenuine(into: Map<number, GenuineProfile[]>, account: AccountView): void {
    if (account.handle === undefined) return;
    for (const p of this.index.genuineOf(account.platform, account.handle)) {
      const profile: GenuineProfile = { account };
      if (account.bio !== undefined) {
        const words = bioTokens(account.bio);
        if (words.size >= MIN_BIO_WORDS) profile.bio = words;
      }
      const list = into.get(p);
      if (list === undefined) into.set(p, [profile]);
      else if (
        list.length < MAX_GENUINE_PER_PERSONA &&
        !list.some((g) => g.account.platform === account.platform && g.account.id === account.id)
      ) {
        list.push(profile);
      }
    }
  }

  /** The findings for one account that is not a listed genuine one. */
  private judge(
    account: AccountView,
    observation: Observation,
    genuine: ReadonlyMap<number, GenuineProfile[]>,
  ): Finding[] {
    const handles = new Map<number, HandleMatch>();
    if (account.handle !== undefined) {
      for (const m of this.index.matchHandle(account.platform, account.handle))
        handles.set(m.persona, m);
    }
    const names = new Map<number, NameMatch>();
    if (account.displayName !== undefined && account.displayName.trim() !== "") {
      const disguised = hasDisguisedLetters(account.displayName);
      for (const m of this.index.matchName(account.displayName, disguised)) names.set(m.persona, m);
    }
    if (handles.size === 0 && names.size === 0) return [];
    const profileText = `${account.displayName ?? ""}\n${account.bio ?? ""}`;
    const status = declaredStatus(`${profileText}\n${account.handle ?? ""}`);
    const claim = findClaim(profileText);
    const bio = account.bio === undefined ? undefined : bioTokens(account.bio);
    const postKey = `${canonicalPlatform(account.platform)}\0${account.id}`;
    const findings: Finding[] = [];
    for (const p of new Set([...handles.keys(), ...names.keys()])) {
      const persona = this.index.personas[p];
      if (persona === undefined) continue;
      const handle = handles.get(p);
      const name = names.get(p);
      const signals: Signal[] = [];
      if (handle) signals.push(handle.signal);
      if (name) signals.push(name.signal);
      const profiles = (genuine.get(p) ?? []).filter(
        (g) => canonicalPlatform(g.account.platform) === canonicalPlatform(account.platform),
      );
      const others = genuine.get(p) ?? [];
      // Bio: against each genuine bio known, on any platform.
      if (bio !== undefined && bio.size > 0) {
        let best = 0;
        for (const g of others) if (g.bio) best = Math.max(best, jaccard(bio, g.bio));
        if (best >= COPIED_BIO_JACCARD) {
          signals.push({
            rule: "bio-copied",
            weight: PERSONA_RULE_WEIGHTS["bio-copied"],
            feature: `bio shares ${Math.round(best * 100)}% of its words with the genuine bio`,
          });
        } else if (best >= MIN_BIO_JACCARD) {
          signals.push({
            rule: "bio-edited",
            weight:
              (PERSONA_RULE_WEIGHTS["bio-edited"] * (best - MIN_BIO_JACCARD)) /
              (COPIED_BIO_JACCARD - MIN_BIO_JACCARD),
            feature: `bio shares ${Math.round(best * 100)}% of its words with the genuine bio`,
          });
        }
      }
      const avatar = this.avatarSignal(account, [
        ...persona.photos,
        ...others.flatMap((g) => (g.account.avatar === undefined ? [] : [g.account.avatar])),
      ]);
      if (avatar) signals.push(avatar);
      const claimed = claimSignal(claim, persona.names);
      if (claimed) signals.push(claimed);
      const posted = postClaimSignal(this.postClaims.get(postKey), persona.names);
      if (posted) signals.push(posted);
      const cuts: PersonaCut[] = [];
      const genuineCreated = earliest(profiles.length > 0 ? profiles : others);
      if (account.created !== undefined && genuineCreated !== undefined) {
        if (account.created > genuineCreated) {
          signals.push({
            rule: "created-after",
            weight: PERSONA_RULE_WEIGHTS["created-after"],
            feature: `created ${account.created.slice(0, 10)}, after the genuine account (${genuineCreated.slice(0, 10)})`,
          });
        } else if (account.created < genuineCreated) {
          cuts.push({
            rule: "created-before",
            factor: CREATED_BEFORE_FACTOR,
            feature: `created ${account.created.slice(0, 10)}, before the genuine account (${genuineCreated.slice(0, 10)})`,
          });
        }
      }
      if (status === "parody") {
        cuts.push({
          rule: "declared-parody",
          factor: DECLARED_PARODY_FACTOR,
          feature: "the profile says it is a parody or not affiliated",
        });
      } else if (status === "fan") {
        cuts.push({
          rule: "declared-fan",
          factor: DECLARED_FAN_FACTOR,
          feature: "the profile says it is a fan account",
        });
      }
      const { score, reasons } = combine(signals, cuts);
      if (score < this.threshold) continue;
      findings.push(
        this.finding(account, observation, persona.target, handle, name, score, reasons, status),
      );
    }
    return findings;
  }

  /** The avatar signal: perceptual hashes when both pictures have one, else the same path. */
  private avatarSignal(account: AccountView, references: readonly string[]): Signal | undefined {
    if (account.avatar === undefined || references.length === 0) return undefined;
    const mine = this.avatarHashes.get(account.avatar);
    let bestDistance = Number.POSITIVE_INFINITY;
    let sameFile = false;
    for (const ref of references) {
      const theirs = this.avatarHashes.get(ref);
      if (mine !== undefined && theirs !== undefined) {
        bestDistance = Math.min(bestDistance, hammingDistance(mine, theirs));
      } else if (ref === account.avatar) sameFile = true;
    }
    if (bestDistance <= MAX_AVATAR_HAMMING) {
      return {
        rule: "avatar-hash",
        weight:
          bestDistance <= CLOSE_AVATAR_HAMMING
            ? PERSONA_RULE_WEIGHTS["avatar-hash"]
            : NEAR_AVATAR_WEIGHT,
        feature: `profile picture ${bestDistance} of 64 bits from a known photo (perceptual hash)`,
      };
    }
    if (sameFile) {
      return {
        rule: "avatar-same-file",
        weight: PERSONA_RULE_WEIGHTS["avatar-same-file"],
        feature: `profile picture "${account.avatar}" is the genuine one's file or URL`,
      };
    }
    return undefined;
  }

  private finding(
    account: AccountView,
    observation: Observation,
    target: Target,
    handle: HandleMatch | undefined,
    name: NameMatch | undefined,
    score: number,
    reasons: Finding["reasons"],
    status: "parody" | "fan" | undefined,
  ): Finding {
    const subject =
      account.handle === undefined ? observation.value : `${account.platform}:@${account.handle}`;
    // The id rests on who imitates whom, not on the profile text, which changes.
    const identity: Evidence[] = [
      { type: "account", value: observation.value },
      { type: "target", value: `${target.type}:${target.id}` },
    ];
    const evidence: Evidence[] = [
      {
        type: "account",
        value: account.handle === undefined ? observation.value : `@${account.handle}`,
        note: `${account.platform} account ${account.id}`,
      },
    ];
    if (account.displayName !== undefined) {
      evidence.push({ type: "display-name", value: account.displayName.slice(0, 4096) });
    }
    if (handle?.genuine !== undefined) {
      evidence.push({
        type: "genuine-handle",
        value: `@${handle.genuine.handle}`,
        note:
          handle.genuine.platform === undefined
            ? "listed on the watchlist"
            : `on ${handle.genuine.platform}, listed on the watchlist`,
      });
    }
    if (name !== undefined) evidence.push({ type: "protected-name", value: name.name });
    const rules = new Set(reasons.map((r) => r.rule));
    const techniques: Technique[] = [IMPERSONATED_PERSONA, PERSONA_OF[target.type]];
    if ([...rules].some((r) => r.startsWith("handle-"))) techniques.push(LOOKALIKE_ACCOUNT_ID);
    if (rules.has("avatar-hash") || rules.has("avatar-same-file"))
      techniques.push(COPY_ACCOUNT_IMAGERY);
    if (rules.has("created-after")) techniques.push(NEWLY_CREATED_ASSET);
    if (status === "parody") techniques.push(PARODY_PERSONA);
    techniques.push(ATTACK_IMPERSONATION);
    return {
      id: findingId(this.name, subject, identity),
      kind: "persona-impersonation",
      subject,
      target,
      score,
      severity: severityFor(score),
      reasons,
      techniques,
      evidence,
      detector: this.name,
      detectorVersion: this.version,
      observedAt: observation.observedAt,
      observationIds: [observation.id],
    };
  }
}

/** The identity-claim signal, when the profile claims to be this persona. */
function claimSignal(
  claim: { generic?: string; named?: string },
  names: readonly string[],
): Signal | undefined {
  if (claim.named !== undefined) {
    const said = new Set(nameTokens(claim.named));
    for (const name of names) {
      const words = nameTokens(name);
      if (words.length > 0 && words.every((w) => said.has(w))) {
        return {
          rule: "identity-claim",
          weight: PERSONA_RULE_WEIGHTS["identity-claim"],
          feature: `the profile says "${claim.named.slice(0, 80).trim()}"`,
        };
      }
    }
  }
  if (claim.generic !== undefined) {
    return {
      rule: "identity-claim",
      weight: PERSONA_RULE_WEIGHTS["identity-claim"],
      feature: `the profile says "${claim.generic}"`,
    };
  }
  return undefined;
}

/**
 * The post-claim signal: a post of the account says it is someone's new or backup
 * account, or names this persona in the first person ("I am Dana Whitfield").
 */
function postClaimSignal(
  claims: readonly PostClaim[] | undefined,
  names: readonly string[],
): Signal | undefined {
  if (claims === undefined) return undefined;
  const signal = (claim: PostClaim): Signal => ({
    rule: "post-claim",
    weight: PERSONA_RULE_WEIGHTS["post-claim"],
    feature: `a post says "${claim.snippet}"`,
  });
  let generic: PostClaim | undefined;
  for (const claim of claims) {
    if (claim.named === undefined) {
      generic ??= claim;
      continue;
    }
    const said = new Set(nameTokens(claim.named));
    for (const name of names) {
      const words = nameTokens(name);
      if (words.length > 0 && words.every((w) => said.has(w))) return signal(claim);
    }
  }
  return generic === undefined ? undefined : signal(generic);
}

/** The earliest creation time of the genuine accounts, when any is known. */
function earliest(profiles: readonly GenuineProfile[]): string | undefined {
  let out: string | undefined;
  for (const g of profiles) {
    const t = g.account.created;
    if (t !== undefined && (out === undefined || t < out)) out = t;
  }
  return out;
}

/**
 * The fields of an `account` observation's data, checked for type and length: data
 * stored by another version, or built by hand, is reported rather than trusted.
 */
function readAccount(data: Record<string, unknown>): AccountView | string {
  const text = (field: string, max: number): string | undefined | Error => {
    const value = data[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") return new Error(`account ${field} is not text`);
    if (value.length > max) return new Error(`account ${field} is longer than ${max} characters`);
    return value;
  };
  const fields = {
    platform: text("platform", 40),
    id: text("id", 256),
    handle: text("handle", MAX_HANDLE_LENGTH),
    displayName: text("displayName", MAX_DISPLAY_NAME_LENGTH),
    bio: text("bio", MAX_BIO_LENGTH),
    created: text("created", 64),
    avatar: text("avatar", MAX_SOCIAL_URL_LENGTH),
  };
  for (const value of Object.values(fields)) if (value instanceof Error) return value.message;
  const { platform, id } = fields as Record<string, string | undefined>;
  if (platform === undefined || id === undefined) return "account without platform or id";
  const out: AccountView = { platform, id };
  for (const key of ["handle", "displayName", "bio", "created", "avatar"] as const) {
    const value = fields[key];
    if (typeof value === "string" && value !== "")
      out[key] = key === "handle" ? value.replace(/^@/, "") : value;
  }
  return out;
}
