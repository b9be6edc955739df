import { type CoordinationResult, type ItemProblem, PersonaStream } from "../detect/index.js";
import type {
  DivisiveIssue,
  Finding,
  Observation,
  ObservationKind,
  SocialAccount,
  SocialPost,
  Watchlist,
} from "../model/index.js";
import type { SourceItem } from "../sources/index.js";
import type { Store } from "../store/index.js";
import { localAnalysis, workerAnalysis } from "./coordination-analysis.js";
import { runPipeline } from "./pipeline.js";
import { finishSocialAnalysis, type SocialScanSummary } from "./scan-social.js";
import { storedObservations } from "./stored-observations.js";

/** Stored observations read a page at a time. */
const PAGE = 5_000;

export interface AnalyzeSocialOptions {
  store: Store;
  now?: () => Date;
  /** Only accounts and posts observed at or after this instant (ISO 8601). */
  since?: string;
  /** Seed of the analysis (default 1). */
  seed?: number;
  /** The watchlist: impersonators of its people, outlets and organisations are judged too. */
  watchlist?: Watchlist;
  divisiveIssues?: readonly DivisiveIssue[];
  /** Build and analyse the corpus on a worker thread (default true; same result). */
  analysisThread?: boolean;
  /** Called as stored records are read. */
  onProgress?: (progress: { accounts: number; posts: number }) => void;
  onAnalysisProgress?: (progress: { stage: string; done: number; total: number }) => void;
}

/**
 * Runs the coordination analysis (and, with a watchlist, the impersonation check) over the
 * accounts and posts already in the store — every export scanned so far, or those observed
 * since an instant — as one run whose findings and cases are stored. Each export scanned on
 * its own is analysed alone; a network spread over several exports, or over weeks of
 * collection, shows only when they are analysed together. Records are read in id order,
 * a page at a time; pictures are compared by path only (the exports' folders are not
 * known here).
 *
 * @example
 * const summary = await analyzeSocial({ store, since: "2024-08-01T00:00:00Z" });
 */
export async function analyzeSocial(options: AnalyzeSocialOptions): Promise<SocialScanSummary> {
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? 1;
  const counts = { accounts: 0, posts: 0 };
  const corpus =
    (options.analysisThread === false ? undefined : workerAnalysis(seed)) ?? localAnalysis(seed);
  const personas =
    options.watchlist === undefined ? undefined : new PersonaStream(options.watchlist);
  let coordination: CoordinationResult | undefined;
  const observedAt = now().toISOString();

  /** Stored records that could not be read: the run's problems; the others are analysed. */
  const unreadable: ItemProblem[] = [];
  async function* stored(kind: ObservationKind): AsyncGenerator<Observation> {
    const query = {
      kind,
      pageSize: PAGE,
      ...(options.since === undefined ? {} : { since: options.since }),
    };
    for await (const page of storedObservations(options.store, query, unreadable)) yield* page;
  }

  // Nothing new is read: the run's only output is what the analysis finds.
  async function* nothing(): AsyncGenerator<SourceItem> {}

  try {
    const summary = await runPipeline(nothing(), "analyze social", {
      store: options.store,
      detectors: [],
      now,
      finish: async () => {
        // Accounts the stream cannot hold back (past its cap) are judged at once.
        const judgedEarly: Finding[] = [];
        const observe = (observation: Observation) => {
          if (personas?.observe(observation) === "batch")
            judgedEarly.push(...personas.detector.detect([observation]).findings);
        };
        for await (const observation of stored("account")) {
          counts.accounts++;
          observe(observation);
          corpus.addAccount(observation.data as SocialAccount);
          if (counts.accounts % PAGE === 0) options.onProgress?.(counts);
        }
        for await (const observation of stored("post")) {
          counts.posts++;
          observe(observation);
          corpus.addPost(observation.data as SocialPost);
          if (counts.posts % PAGE === 0) options.onProgress?.(counts);
        }
        options.onProgress?.(counts);
        const done = await finishSocialAnalysis(options, {
          impersonations: [...judgedEarly, ...(personas?.finish().findings ?? [])],
          corpus,
          now,
          observedAt,
          seed,
        });
        coordination = done.coordination;
        return { ...done, problems: unreadable };
      },
    });
    return { ...summary, ...counts, ...(coordination === undefined ? {} : { coordination }) };
  } finally {
    await corpus.close();
  }
}
