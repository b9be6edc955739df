import type { Target, Watchlist } from "../../model/index.js";
import { AhoCorasick, DeletionIndex, lengthFactor, osaDistance } from "../domains/index.js";
import {
  collapseRuns,
  type HandleDisguise,
  handleKey,
  handleTrick,
  keyOfPlain,
  lowerHandle,
  plainHandle,
  readAsLetters,
} from "./handle-key.js";
import { canonicalPlatform, type HandleRef, parseHandleRef } from "./handle-ref.js";
import { nameTokens, sortedKey } from "./name-tokens.js";
import {
  ONE_WORD_NAME_FACTOR,
  PERSONA_RULE_WEIGHTS,
  PLAIN_NAME_HANDLE_WEIGHT,
  type Signal,
} from "./personas-features.js";

/** Names (name and aliases) indexed per person, outlet or organisation. */
export const MAX_NAMES_INDEXED = 101;
/** Handles indexed per person, outlet or organisation. */
export const MAX_HANDLES_INDEXED = 1_000;
/** Photos compared per person. */
export const MAX_PHOTOS_INDEXED = 50;
/**
 * Shortest handle key looked up with one typing change: shorter keys are one change
 * from too many unrelated handles (cnn, wsj).
 */
export const MIN_TYPO_KEY = 5;
/** Shortest handle key found inside a longer handle among unrelated words. */
export const MIN_CONTAINED_KEY = 6;
/** Shortest name run together that counts as a handle spelling the name. */
export const MIN_NAME_HANDLE_KEY = 6;

/**
 * Words added to a handle to make an impersonator's handle (`real_`, `_official`, `the`,
 * `iam`, `news`, `hq`, `tv`, `fan`): a handle that is a protected handle plus these and
 * digits only is scored as `handle-added-words`, plus anything else as `handle-contains`.
 */
export const HANDLE_AFFIX_WORDS: readonly string[] = [
  "real",
  "thereal",
  "official",
  "offical",
  "oficial",
  "the",
  "iam",
  "im",
  "its",
  "itis",
  "this",
  "is",
  "not",
  "news",
  "team",
  "media",
  "hq",
  "tv",
  "fan",
  "fans",
  "fanpage",
  "club",
  "page",
  "backup",
  "updates",
  "update",
  "daily",
  "live",
  "account",
  "acct",
  "alt",
  "new",
  "original",
  "og",
  "press",
  "info",
  "support",
  "help",
  "us",
  "usa",
  "uk",
  "org",
  "online",
  "channel",
  "official1",
  "world",
  "global",
  "now",
  "today",
  "says",
  "x",
];

/** A protected person, outlet or organisation as the index knows it. */
export interface ProtectedPersona {
  target: Target;
  /** Name and aliases as listed. */
  names: readonly string[];
  /** Handles the watchlist lists (its genuine accounts). */
  handles: readonly HandleRef[];
  /** Listed photo files (people only). */
  photos: readonly string[];
}

/** A protected handle, or a protected name run together, under its key. */
interface KeyEntry {
  persona: number;
  /** The listed handle; undefined when the key spells a name. */
  ref?: HandleRef;
  /** The listed handle or the name run together. */
  text: string;
  key: string;
}

/** One name of a persona, as words. */
interface NameEntry {
  persona: number;
  name: string;
  tokens: readonly string[];
}

/** The best handle signal of an account against one persona. */
export interface HandleMatch {
  persona: number;
  signal: Signal;
  /** The genuine handle imitated, when the match is on a listed handle. */
  genuine?: HandleRef;
}

/** The best display-name signal of an account against one persona. */
export interface NameMatch {
  persona: number;
  signal: Signal;
  name: string;
}

/**
 * Everything the personas detector looks up, built once per watchlist: handle keys
 * (confusables, digits, separators and doubled letters folded) in a map, their deletion
 * neighbourhood for typing changes, an Aho–Corasick automaton for handles with words
 * added, the names' words and their sorted keys, and the genuine accounts that are
 * never flagged. A look-up costs a few hash probes and one automaton pass over the
 * handle: microseconds per account whatever the watchlist's size.
 */
export class PersonaIndex {
  readonly personas: readonly ProtectedPersona[];
  /** `<platform>\0<lower handle>` and `*\0<lower handle>` of listed handles → personas. */
  private readonly genuine = new Map<string, number[]>();
  private readonly byKey = new Map<string, KeyEntry[]>();
  private readonly typos: DeletionIndex;
  private readonly contained: AhoCorasick;
  private readonly affixKeys: ReadonlySet<string>;
  private readonly maxAffixLength: number;
  /** Sorted name words → names. */
  private readonly byNameKey = new Map<string, NameEntry[]>();
  /** One name word → names holding it (for names with words added). */
  private readonly byNameToken = new Map<string, NameEntry[]>();
  /** A name's words run together (either order) → names: `DanaWhitfield` as a display name. */
  private readonly byJoinedName = new Map<string, NameEntry[]>();

  constructor(personas: readonly ProtectedPersona[]) {
    this.personas = personas;
    personas.forEach((persona, p) => {
      for (const ref of persona.handles.slice(0, MAX_HANDLES_INDEXED)) {
        const lower = lowerHandle(ref.handle);
        push(this.genuine, `${ref.platform ?? "*"}\0${lower}`, p);
        const key = handleKey(ref.handle);
        if (key !== "") push(this.byKey, key, { persona: p, ref, text: ref.handle, key });
      }
      for (const name of persona.names.slice(0, MAX_NAMES_INDEXED)) {
        const tokens = nameTokens(name);
        if (tokens.length === 0) continue;
        const entry: NameEntry = { persona: p, name, tokens };
        push(this.byNameKey, sortedKey(tokens), entry);
        for (const token of new Set(tokens)) push(this.byNameToken, token, entry);
        const joined = tokens.join("");
        push(this.byJoinedName, joined, entry);
        if (tokens.length === 2) push(this.byJoinedName, `${tokens[1]}${tokens[0]}`, entry);
        const key = keyOfPlain(joined);
        if (key.length >= MIN_NAME_HANDLE_KEY) {
          const entries = this.byKey.get(key) ?? [];
          // A listed handle that spells the name already stands for it.
          if (!entries.some((e) => e.persona === p)) {
            push(this.byKey, key, { persona: p, text: joined, key });
          }
        }
      }
    });
    const keys = [...this.byKey.keys()];
    this.typos = new DeletionIndex(
      keys.filter((k) => k.length >= MIN_TYPO_KEY),
      1,
    );
    this.contained = new AhoCorasick(keys);
    this.affixKeys = new Set(HANDLE_AFFIX_WORDS.map((w) => keyOfPlain(w)));
    this.maxAffixLength = Math.max(...[...this.affixKeys].map((k) => k.length));
  }

  /**
   * The people, organisations and outlets of a watchlist with their handles. Outlet and
   * organisation names are matched too: an account named after an outlet imitates it.
   */
  static fromWatchlist(watchlist: Watchlist): PersonaIndex {
    const personas: ProtectedPersona[] = [];
    const refs = (handles: readonly string[]) =>
      handles.flatMap((h) => {
        const ref = parseHandleRef(h);
        return ref === undefined ? [] : [ref];
      });
    for (const person of watchlist.people) {
      personas.push({
        target: { type: "person", id: person.id ?? person.name, name: person.name },
        names: [person.name, ...person.aliases],
        handles: refs(person.handles),
        photos: (person.photos ?? []).slice(0, MAX_PHOTOS_INDEXED),
      });
    }
    for (const outlet of watchlist.outlets) {
      personas.push({
        target: { type: "outlet", id: outlet.id ?? outlet.name, name: outlet.name },
        names: [outlet.name, ...outlet.aliases],
        handles: refs(outlet.handles),
        photos: (outlet.logos ?? []).slice(0, MAX_PHOTOS_INDEXED),
      });
    }
    for (const organisation of watchlist.organisations) {
      personas.push({
        target: {
          type: "organisation",
          id: organisation.id ?? organisation.name,
          name: organisation.name,
        },
        names: [organisation.name],
        handles: refs(organisation.handles),
        photos: (organisation.logos ?? []).slice(0, MAX_PHOTOS_INDEXED),
      });
    }
    return new PersonaIndex(personas);
  }

  /**
   * The personas whose listed account this is: never flagged. A handle listed without a
   * platform is genuine on every platform.
   */
  genuineOf(platform: string, handle: string): readonly number[] {
    const lower = lowerHandle(handle);
    const a = this.genuine.get(`${canonicalPlatform(platform)}\0${lower}`) ?? [];
    const b = this.genuine.get(`*\0${lower}`) ?? [];
    return a.length === 0 ? b : b.length === 0 ? a : [...new Set([...a, ...b])];
  }

  /** Whether the listed handle `ref` is listed for the account's platform. */
  static listedOn(ref: HandleRef, platform: string): boolean {
    return ref.platform === undefined || ref.platform === canonicalPlatform(platform);
  }

  /** The strongest handle signal of `handle` against each persona it imitates. */
  matchHandle(platform: string, handle: string): HandleMatch[] {
    const plain = plainHandle(handle);
    const key = keyOfPlain(plain);
    if (key === "") return [];
    const best = new Map<number, HandleMatch>();
    const offer = (entry: KeyEntry, rule: Signal["rule"], weight: number, feature: string) => {
      const scaled = weight * lengthFactor(entry.key.length);
      const current = best.get(entry.persona);
      if (current !== undefined && current.signal.weight >= scaled) return;
      const short =
        scaled < weight ? ` (short handle: weight × ${lengthFactor(entry.key.length)})` : "";
      best.set(entry.persona, {
        persona: entry.persona,
        signal: { rule, weight: scaled, feature: feature + short },
        ...(entry.ref === undefined ? {} : { genuine: entry.ref }),
      });
    };
    const shown = `"@${handle}"`;
    const onName = (entry: KeyEntry, plainly: boolean, how: string) =>
      offer(
        entry,
        "handle-spells-name",
        plainly ? PLAIN_NAME_HANDLE_WEIGHT : PERSONA_RULE_WEIGHTS["handle-spells-name"],
        `${shown} spells the name "${entry.text}"${how}`,
      );

    // Same key: the handle reads as the protected one.
    const fullKey = collapseRuns(readAsLetters(plain));
    for (const k of fullKey === key ? [key] : [key, fullKey]) {
      for (const entry of this.byKey.get(k) ?? []) {
        if (entry.ref === undefined) {
          const plainly = plain === entry.text;
          onName(entry, plainly, plainly ? "" : " with look-alike characters or digits");
          continue;
        }
        const trick: HandleDisguise = handleTrick(handle, entry.ref.handle);
        if (trick === "identical" && PersonaIndex.listedOn(entry.ref, platform)) continue;
        offer(
          entry,
          `handle-${trick}`,
          PERSONA_RULE_WEIGHTS[`handle-${trick}`],
          `${shown} ${TRICK_WORDS[trick]} "@${entry.ref.handle}"${entry.ref.platform ? ` (${entry.ref.platform})` : ""}`,
        );
      }
    }

    // A protected key inside the handle: with affix words only, or among other words.
    for (const hit of this.contained.search(key)) {
      const start = hit.end - hit.pattern.length;
      const left = key.slice(0, start);
      const right = key.slice(hit.end);
      if (left === "" && right === "") continue;
      const affixes = this.affixOnly(left) && this.affixOnly(right);
      if (!affixes && hit.pattern.length < MIN_CONTAINED_KEY) continue;
      for (const entry of this.byKey.get(hit.pattern) ?? []) {
        const added = `"${left}${left && right ? "…" : ""}${right}"`;
        if (entry.ref === undefined) {
          if (affixes) onName(entry, false, ` with ${added} added`);
          continue;
        }
        const genuine = `"@${entry.ref.handle}"`;
        if (affixes) {
          offer(
            entry,
            "handle-added-words",
            PERSONA_RULE_WEIGHTS["handle-added-words"],
            `${shown} is ${genuine} with ${added} added`,
          );
        } else {
          const share = hit.pattern.length / key.length;
          offer(
            entry,
            "handle-contains",
            PERSONA_RULE_WEIGHTS["handle-contains"] + 0.35 * share,
            `${shown} contains ${genuine} (${Math.round(share * 100)}% of the handle)`,
          );
        }
      }
    }

    // One typing change, in the handle or in what is left once affix words are removed.
    const core = this.stripAffixes(key);
    for (const text of core === key ? [key] : [key, core]) {
      if (text.length < MIN_TYPO_KEY - 1) continue;
      this.typos.forEachCandidate(text, (word) => {
        if (word === text || osaDistance(word, text, 1) > 1) return;
        for (const entry of this.byKey.get(word) ?? []) {
          const affixed = text === key ? "" : ` once the added words are removed ("${core}")`;
          if (entry.ref === undefined) {
            onName(entry, false, ` with one change${affixed}`);
            continue;
          }
          offer(
            entry,
            "handle-typo",
            PERSONA_RULE_WEIGHTS["handle-typo"],
            `${shown} is one change from "@${entry.ref.handle}"${affixed}`,
          );
        }
      });
    }
    return [...best.values()];
  }

  /** Whether `text` (a piece of a handle key) is affix words and digits only, or empty. */
  private affixOnly(text: string): boolean {
    if (text === "") return true;
    // Word break over the affix words: handles are short, so this is a few dozen probes.
    const ok = new Array<boolean>(text.length + 1).fill(false);
    ok[0] = true;
    for (let i = 0; i < text.length; i++) {
      if (!ok[i]) continue;
      let j = i;
      while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
      if (j > i) ok[j] = true;
      for (let n = 1; n <= this.maxAffixLength && i + n <= text.length; n++) {
        if (this.affixKeys.has(text.slice(i, i + n))) ok[i + n] = true;
      }
    }
    return ok[text.length] === true;
  }

  /** `key` without affix words at its start and end (longest first), for typos under them. */
  private stripAffixes(key: string): string {
    let out = key;
    for (let changed = true; changed; ) {
      changed = false;
      for (let n = Math.min(this.maxAffixLength, out.length - MIN_TYPO_KEY); n >= 2; n--) {
        if (this.affixKeys.has(out.slice(0, n))) {
          out = out.slice(n);
          changed = true;
          break;
        }
        if (this.affixKeys.has(out.slice(out.length - n))) {
          out = out.slice(0, out.length - n);
          changed = true;
          break;
        }
      }
    }
    return out;
  }

  /** The strongest display-name signal of `displayName` against each persona it names. */
  matchName(displayName: string, disguised: boolean): NameMatch[] {
    const tokens = nameTokens(displayName);
    if (tokens.length === 0) return [];
    const best = new Map<number, NameMatch>();
    const offer = (entry: NameEntry, rule: Signal["rule"], feature: string) => {
      let weight = PERSONA_RULE_WEIGHTS[rule];
      if (entry.tokens.length === 1) weight *= ONE_WORD_NAME_FACTOR;
      const current = best.get(entry.persona);
      if (current !== undefined && current.signal.weight >= weight) return;
      best.set(entry.persona, {
        persona: entry.persona,
        name: entry.name,
        signal: {
          rule,
          weight,
          feature:
            feature +
            (entry.tokens.length === 1 ? ` (one-word name: weight × ${ONE_WORD_NAME_FACTOR})` : ""),
        },
      });
    };
    const exact = (entry: NameEntry, how: string) =>
      offer(
        entry,
        disguised ? "display-name-confusable" : "display-name",
        `display name "${displayName}" ${disguised ? "reads as" : "is"} "${entry.name}"${how}`,
      );
    for (const entry of this.byNameKey.get(sortedKey(tokens)) ?? []) {
      const reordered = tokens.join(" ") !== entry.tokens.join(" ");
      exact(entry, reordered ? " (words reordered)" : "");
    }
    if (tokens.length === 1) {
      for (const entry of this.byJoinedName.get(tokens[0] as string) ?? []) {
        if (entry.tokens.length > 1) exact(entry, " (run together)");
      }
    }
    // The name's words all there, with at most two others.
    const counts = new Map<NameEntry, number>();
    for (const token of new Set(tokens)) {
      for (const entry of this.byNameToken.get(token) ?? []) {
        counts.set(entry, (counts.get(entry) ?? 0) + 1);
      }
    }
    // All the name's words but one, and that one a typing change away (Tamsin Ardel).
    for (const [entry, n] of counts) {
      const size = new Set(entry.tokens).size;
      if (size < 2 || n !== size - 1 || tokens.length !== entry.tokens.length) continue;
      const missing = entry.tokens.filter((t) => !tokens.includes(t));
      const extra = tokens.filter((t) => !entry.tokens.includes(t));
      const [want, got] = [missing[0], extra[0]];
      if (missing.length !== 1 || extra.length !== 1 || want === undefined || got === undefined)
        continue;
      if (want.length < MIN_TYPO_WORD || osaDistance(want, got, 1) !== 1) continue;
      offer(
        entry,
        "display-name-typo",
        `display name "${displayName}" is "${entry.name}" with "${got}" for "${want}"`,
      );
    }
    for (const [entry, n] of counts) {
      const size = new Set(entry.tokens).size;
      if (n < size || tokens.length === size || tokens.length > size + 2) continue;
      offer(
        entry,
        disguised ? "display-name-confusable" : "display-name-with-words",
        `display name "${displayName}" ${disguised ? "reads as" : "holds"} "${entry.name}" with other words`,
      );
    }
    return [...best.values()];
  }
}

/** Shortest word of a name in which one typing change counts (Ann/Anna are two names). */
const MIN_TYPO_WORD = 5;

const TRICK_WORDS: Readonly<Record<HandleDisguise, string>> = {
  identical: "is the genuine handle, on a platform where it is not listed:",
  separators: "is, with separators added or removed,",
  confusable: "reads with look-alike letters of another script as",
  "digit-letter": "reads with digits or letter pairs for letters as",
  "doubled-letter": "is, with a doubled letter,",
  "added-digits": "is, with digits added,",
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
