import { dirname } from "node:path";
import { type CoordinationResult, type KnownSite, PersonaStream } from "../detect/index.js";
import { AvatarHasher, hashAvatarFiles } from "../enrich/index.js";
import {
  type Case,
  type DivisiveIssue,
  type Finding,
  parseDomain,
  type SocialAccount,
  type SocialPost,
  type Watchlist,
} from "../model/index.js";
import {
  type CsvColumnMap,
  readSocial,
  type SocialFormat,
  type SourceItem,
} from "../sources/index.js";
import type { Store } from "../store/index.js";
import {
  type CoordinationAnalysis,
  localAnalysis,
  workerAnalysis,
} from "./coordination-analysis.js";
import { correlateByTarget } from "./correlate-by-target.js";
import {
  type PipelineOptions,
  type PipelineProgress,
  type RunSummary,
  runPipeline,
} from "./pipeline.js";
import { inputName, inputSizes, readEachInput, type ScanInput } from "./scan-inputs.js";

/** An input to scan: a file path, or a named stream (standard input). */
export type SocialInput = ScanInput;

export interface ScanSocialOptions {
  store: Store;
  now?: () => Date;
  batchSize?: number;
  /** The inputs' format; `auto` (the default) tells each input's format from its content. */
  format?: SocialFormat | "auto";
  /** CSV only: which column fills which field. */
  columnMap?: CsvColumnMap;
  /** CSV only: the platform of rows without a `platform` column. */
  platform?: string;
  /** Called as input is read: bytes read of the known total, and the pipeline's counts. */
  onProgress?: (progress: PipelineProgress & { bytes: number; totalBytes?: number }) => void;
  queue?: PipelineOptions["queue"];
  /**
   * Look for coordinated accounts and narratives across everything read (default true).
   * The analysis keeps every post read in compact columns until the run ends.
   */
  coordination?: boolean;
  /** Seed of the analysis's null model and community detection (default 1). */
  seed?: number;
  /**
   * Build and analyse the corpus on a worker thread, beside reading and storing (default
   * true; the result is the same). Ignored where the compiled worker is not available.
   */
  analysisThread?: boolean;
  /**
   * The watchlist: accounts imitating its people, outlets and organisations are found
   * (persona impersonation); without one, only coordination is looked for.
   */
  watchlist?: Watchlist;
  /**
   * Directory the watchlist's `photos` paths are relative to (the watchlist file's):
   * the photos are hashed and compared with profile pictures. Unset: photos are compared
   * by path only.
   */
  photosDir?: string;
  /** Divisive issues narratives are checked against (default: the watchlist schema's). */
  divisiveIssues?: readonly DivisiveIssue[];
  /** Called during the analysis with its stage and how far it has got. */
  onAnalysisProgress?: (progress: { stage: string; done: number; total: number }) => void;
}

/** A social scan's outcome: the run's, and how many accounts and posts were read. */
export interface SocialScanSummary extends RunSummary {
  accounts: number;
  posts: number;
  /** Communities, narratives and the run's parameters, when the analysis ran. */
  coordination?: CoordinationResult;
}

/**
 * Reads accounts and posts from social exports (vigil JSON lines, X API v2, Telegram
 * Desktop, CSV) and stores them as `account` and `post` observations, all as one run.
 * Once everything is read, the coordination analysis runs over all posts of the run
 * (see `analyzeCoordination`): its communities become findings and cases of the same
 * run, and its communities and narratives are in the summary. With a watchlist, accounts
 * that may imitate its people, outlets or organisations are judged at the end too, with
 * every genuine profile, picture (local files beside the export, hashed) and claim in a
 * post read; their findings and cases are stored with the run. An input that cannot be
 * opened, and each bad record, is a problem of the run; the rest is read.
 *
 * @example
 * const summary = await scanSocial(["result.json", "tweets.jsonl"], { store });
 * console.log(summary.accounts, "accounts,", summary.posts, "posts");
 */
export async function scanSocial(
  inputs: readonly SocialInput[],
  options: ScanSocialOptions,
): Promise<SocialScanSummary> {
  const now = options.now ?? (() => new Date());
  const progress: PipelineProgress & { bytes: number; totalBytes?: number } = {
    read: 0,
    findings: 0,
    findingsAdded: 0,
    problems: 0,
    bytes: 0,
  };
  const { sizes, total } = await inputSizes(inputs);
  if (total !== undefined) progress.totalBytes = total;
  const observedAt = now().toISOString();
  const counts = { accounts: 0, posts: 0 };
  const seed = options.seed ?? 1;
  const corpus: CoordinationAnalysis | undefined =
    options.coordination === false
      ? undefined
      : ((options.analysisThread === false ? undefined : workerAnalysis(seed)) ??
        localAnalysis(seed));
  /** Posts already in the corpus: the same post in two exports is analysed once. */
  const corpusPosts = new Set<string>();
  let coordination: CoordinationResult | undefined;
  // Impersonators are judged once everything is read (see PersonaStream): the genuine
  // account they copy may come in a later batch, or a later file.
  const personas =
    options.watchlist === undefined ? undefined : new PersonaStream(options.watchlist);
  const hasher = new AvatarHasher();

  async function* source(): AsyncGenerator<SourceItem> {
    if (personas !== undefined && options.photosDir !== undefined) {
      const watchlist = options.watchlist;
      const photos = [
        ...(watchlist?.people.flatMap((p) => p.photos ?? []) ?? []),
        ...(watchlist?.outlets.flatMap((o) => o.logos ?? []) ?? []),
        ...(watchlist?.organisations.flatMap((o) => o.logos ?? []) ?? []),
      ];
      const { hashes, problems } = await hashAvatarFiles(photos, { baseDir: options.photosDir });
      for (const [photo, hash] of hashes) personas.addAvatarHash(photo, hash);
      for (const problem of problems)
        yield { problem: { ...problem, item: `photo ${problem.item}` } };
    }
    yield* readEachInput(inputs, async function* (stream, input, index) {
      const name = inputName(input);
      const size = sizes[index];
      for await (const item of readSocial(stream, {
        name,
        observedAt,
        ...(options.format === undefined ? {} : { format: options.format }),
        ...(options.columnMap === undefined ? {} : { columnMap: options.columnMap }),
        ...(options.platform === undefined ? {} : { platform: options.platform }),
        ...(size === undefined ? {} : { knownSize: size }),
        onBytes: (n) => {
          progress.bytes += n;
          options.onProgress?.(progress);
        },
      })) {
        if ("observation" in item) {
          const { observation } = item;
          const fate = personas?.observe(observation);
          // Pictures matter only for accounts that are, or may imitate, someone listed.
          const avatar = observation.data.avatar;
          if (
            personas !== undefined &&
            typeof input === "string" &&
            typeof avatar === "string" &&
            (fate === "genuine" || fate === "held" || fate === "batch")
          ) {
            const hashed = await hasher.hash(avatar, dirname(input));
            if (hashed !== undefined && "hash" in hashed)
              personas.addAvatarHash(avatar, hashed.hash);
            else if (hashed !== undefined) {
              yield {
                problem: { ...hashed.problem, item: `${name}: picture ${hashed.problem.item}` },
              };
            }
          }
          if (observation.kind === "account") {
            counts.accounts++;
            corpus?.addAccount(observation.data as SocialAccount);
          } else if (observation.kind === "post") {
            counts.posts++;
            if (corpus !== undefined && !corpusPosts.has(observation.value)) {
              corpusPosts.add(observation.value);
              corpus.addPost(observation.data as SocialPost);
            }
          }
        }
        yield item;
      }
    });
  }

  // Coordination needs the whole corpus, not one batch: it runs once the input has ended.
  try {
    return await scan();
  } finally {
    await corpus?.close();
  }

  async function scan(): Promise<SocialScanSummary> {
    const summary = await runPipeline(source(), "scan social", {
      store: options.store,
      detectors: personas === undefined ? [] : [personas.detector],
      now,
      ...(corpus === undefined && personas === undefined
        ? {}
        : {
            finish: async () => {
              // Held accounts were read without fault (bad records are reported in their
              // batch), so judging them gives findings only.
              const done = await finishSocialAnalysis(options, {
                impersonations: personas?.finish().findings ?? [],
                ...(corpus === undefined ? {} : { corpus }),
                now,
                observedAt,
                seed,
              });
              coordination = done.coordination;
              return done;
            },
          }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      onProgress: (p) => {
        Object.assign(progress, p);
        options.onProgress?.(progress);
      },
    });
    return { ...summary, ...counts, ...(coordination === undefined ? {} : { coordination }) };
  }
}

/**
 * The end of a social run: the impersonators judged (`impersonations`, grouped into cases
 * by whom they imitate) and, with a corpus, the coordination analysis over it, linked to
 * the sites the store already flags.
 */
export async function finishSocialAnalysis(
  settings: Pick<ScanSocialOptions, "store" | "divisiveIssues" | "onAnalysisProgress">,
  args: {
    impersonations: Finding[];
    corpus?: CoordinationAnalysis;
    now: () => Date;
    observedAt: string;
    seed: number;
  },
): Promise<{ findings: Finding[]; cases: Case[]; coordination?: CoordinationResult }> {
  const { impersonations } = args;
  const personaCases = correlateByTarget(impersonations, args.now().toISOString());
  if (args.corpus === undefined) return { findings: impersonations, cases: personaCases };
  const knownSites = await flaggedSites(settings.store);
  const coordination = await args.corpus.analyze({
    ...(knownSites.size === 0 ? {} : { knownSites }),
    observedAt: args.observedAt,
    seed: args.seed,
    ...(settings.divisiveIssues === undefined ? {} : { divisiveIssues: settings.divisiveIssues }),
    ...(settings.onAnalysisProgress === undefined
      ? {}
      : { onProgress: settings.onAnalysisProgress }),
  });
  return {
    findings: [...impersonations, ...coordination.findings],
    cases: [...personaCases, ...coordination.cases],
    coordination,
  };
}

/** Most stored site findings the analysis links a group's links to, highest scores first. */
const MAX_FLAGGED_SITES = 100_000;

/**
 * Sites stored findings flag (lookalikes of protected outlets), by host and by
 * registrable domain, so a community's links to them are named with their finding.
 */
export async function flaggedSites(store: Store): Promise<Map<string, KnownSite>> {
  const sites = new Map<string, KnownSite>();
  const findings = await store.listFindings({ kind: "domain-lookalike", limit: MAX_FLAGGED_SITES });
  for (const finding of findings) {
    const site: KnownSite = {
      finding: finding.id,
      kind: finding.kind,
      score: finding.score,
      ...(finding.target?.name === undefined ? {} : { target: finding.target.name }),
    };
    const parsed = parseDomain(finding.subject);
    for (const key of [finding.subject, parsed.ok ? parsed.domain.registrable : undefined]) {
      if (key !== undefined && !sites.has(key)) sites.set(key, site);
    }
  }
  return sites;
}
