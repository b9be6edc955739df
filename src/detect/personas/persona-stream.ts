import type { Observation, Watchlist } from "../../model/index.js";
import type { Detector, DetectResult } from "../detector.js";
import { PersonasDetector, type PersonasDetectorOptions } from "./personas-detector.js";

/**
 * Candidate accounts held back until the stream ends. Candidates are the few accounts
 * whose handle or name matches the watchlist; this bounds memory against an export full
 * of namesakes of a one-word outlet. Past it, candidates are judged in their batch with
 * what has been read so far.
 */
export const MAX_HELD_ACCOUNTS = 50_000;

/** What became of an account read from the stream. */
export type StreamedAccount =
  /** Listed on the watchlist: its profile is learnt, it is never flagged. */
  | "genuine"
  /** May imitate someone: judged once the stream has ended (`finish`). */
  | "held"
  /** May imitate someone, but too many are held: judged in its batch. */
  | "batch"
  /** Matches no one on the watchlist. */
  | "other";

/**
 * Persona impersonation over a stream read in batches. A genuine account and its
 * imitators are rarely in the same batch, and an imitator may come first; the store
 * keeps the first version of a finding, so judging an account early and again later
 * cannot improve what is stored. So the stream learns as it reads — genuine profiles,
 * pictures' hashes, claims in posts — and holds the candidate accounts back, judging
 * them once, at the end, with everything read. Pure: hashes are computed by the caller
 * and handed in.
 *
 * @example
 * const personas = new PersonaStream(watchlist);
 * for (const observation of observations) personas.observe(observation);
 * runPipeline(source, "scan social", { detectors: [personas.detector], finish: … });
 * const { findings } = personas.finish();
 */
export class PersonaStream {
  /** The batch side: judges what is not held (and reports bad account records). */
  readonly detector: Detector;
  private readonly personas: PersonasDetector;
  /** Held accounts by observation value: a later record of the same account replaces it. */
  private readonly held = new Map<string, Observation>();
  /** Ids of every observation held, so batches skip them. */
  private readonly heldIds = new Set<string>();

  constructor(watchlist: Watchlist, options: PersonasDetectorOptions = {}) {
    const personas = new PersonasDetector(watchlist, options);
    const heldIds = this.heldIds;
    this.personas = personas;
    this.detector = {
      name: personas.name,
      version: personas.version,
      kinds: personas.kinds,
      detect: (observations) => personas.detect(observations.filter((o) => !heldIds.has(o.id))),
    };
  }

  /** Learns from an observation as it is read; returns what became of an account. */
  observe(observation: Observation): StreamedAccount {
    if (observation.kind === "post") {
      const { platform, account, text } = observation.data;
      if (typeof platform === "string" && typeof account === "string" && typeof text === "string")
        this.personas.rememberPostClaims(platform, account, text);
      return "other";
    }
    if (observation.kind !== "account") return "other";
    if (this.personas.rememberGenuine(observation.data)) return "genuine";
    if (!this.personas.isCandidate(observation.data)) return "other";
    if (!this.held.has(observation.value) && this.held.size >= MAX_HELD_ACCOUNTS) return "batch";
    this.held.set(observation.value, observation);
    this.heldIds.add(observation.id);
    return "held";
  }

  /** Adds the perceptual hash of a picture, keyed by the path as accounts write it. */
  addAvatarHash(reference: string, hash: string): void {
    this.personas.addAvatarHash(reference, hash);
  }

  /** Judges the held accounts (each on its latest record) with everything read. */
  finish(): DetectResult {
    const result = this.personas.detect([...this.held.values()]);
    this.held.clear();
    return result;
  }
}
