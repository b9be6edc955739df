import {
  analyzeSitePages,
  type Detector,
  type ItemProblem,
  LookalikeIndex,
  type SiteInfrastructure,
  type SitePage,
  type SitesAnalysis,
  SitesDetector,
  sitePagesOf,
} from "../detect/index.js";
import type { DivisiveIssue, Watchlist } from "../model/index.js";
import type { SourceItem } from "../sources/index.js";
import type { Store } from "../store/index.js";
import { correlateByTarget } from "./correlate-by-target.js";
import { type RunSummary, runPipeline } from "./pipeline.js";
import { flaggedSites } from "./scan-social.js";
import { storedObservations } from "./stored-observations.js";

/** Stored page observations read a page at a time. */
const PAGE = 1_000;
/**
 * Pages held for one analysis. Each holds its article text (up to 200,000 characters)
 * and fingerprints; past this the oldest-id pages are analysed and the rest reported.
 */
export const MAX_ANALYZED_PAGES = 200_000;

export interface AnalyzeSitesOptions {
  store: Store;
  now?: () => Date;
  /** Only pages captured at or after this instant (ISO 8601). */
  since?: string;
  /** The watchlist: its outlets are what clones imitate; its divisive issues are read. */
  watchlist?: Watchlist;
  divisiveIssues?: readonly DivisiveIssue[];
  /** DNS and RDAP facts per registrable domain, from enrichers, when there are any. */
  infrastructure?: ReadonlyMap<string, SiteInfrastructure>;
  onProgress?: (progress: { pages: number }) => void;
}

export interface SiteAnalysisSummary extends RunSummary {
  pages: number;
  analysis?: SitesAnalysis;
}

/**
 * The detectors `vigil scan site` runs on each batch of captured pages: clones and
 * fake-outlet signs (see `SitesDetector`). Without a watchlist no outlet is protected
 * and only fake-outlet signs are looked for.
 */
export function siteDetectors(
  watchlist?: Watchlist,
  infrastructure?: ReadonlyMap<string, SiteInfrastructure>,
): Detector[] {
  return [
    new SitesDetector({
      ...(watchlist === undefined ? {} : { index: LookalikeIndex.fromWatchlist(watchlist) }),
      ...(watchlist === undefined
        ? {}
        : { divisiveIssues: watchlist.settings.social.divisiveIssues }),
      ...(infrastructure === undefined ? {} : { infrastructure }),
    }),
  ];
}

/**
 * Runs the site analysis over the pages already in the store — every capture so far, or
 * those since an instant — as one run whose findings and cases are stored: networks of
 * sites linked by shared identifiers, clones of the watchlist's outlets against any
 * stored capture of the outlet, fake-outlet signs with articles copied between any of the
 * stored sites. Pages are read in id order, a page of results at a time.
 *
 * @example
 * const summary = await analyzeSites({ store, watchlist });
 * for (const n of summary.analysis?.networks.networks ?? []) console.log(n.sites, n.links);
 */
export async function analyzeSites(options: AnalyzeSitesOptions): Promise<SiteAnalysisSummary> {
  const now = options.now ?? (() => new Date());
  let analysis: SitesAnalysis | undefined;
  let pagesRead = 0;
  const overflow: ItemProblem[] = [];

  // Nothing new is read; unreadable stored pages are this run's problems.
  const problems: ItemProblem[] = [];
  async function* nothing(): AsyncGenerator<SourceItem> {
    for (const problem of problems) yield { problem };
  }

  const pages: SitePage[] = [];
  const query = {
    kind: "page" as const,
    pageSize: PAGE,
    ...(options.since === undefined ? {} : { since: options.since }),
  };
  for await (const batch of storedObservations(options.store, query, problems)) {
    const read = sitePagesOf(batch);
    problems.push(...read.problems);
    for (const p of read.pages) {
      if (pages.length < MAX_ANALYZED_PAGES) pages.push(p);
      else if (overflow.length === 0)
        overflow.push({
          item: p.observationId,
          code: "VIGIL_ERR_INPUT_TOO_LARGE",
          message: `more than ${MAX_ANALYZED_PAGES} stored pages: the rest were not analysed (use --since)`,
        });
    }
    pagesRead += batch.length;
    options.onProgress?.({ pages: pagesRead });
  }
  problems.push(...overflow);

  const summary = await runPipeline(nothing(), "analyze sites", {
    store: options.store,
    detectors: [],
    now,
    finish: async () => {
      const known = await flaggedSites(options.store);
      const flagged = new Map<string, string>();
      for (const [site, f] of known)
        flagged.set(site, `${f.kind} ${f.score.toFixed(2)}${f.target ? ` of ${f.target}` : ""}`);
      const index =
        options.watchlist === undefined
          ? undefined
          : LookalikeIndex.fromWatchlist(options.watchlist);
      const divisiveIssues =
        options.divisiveIssues ?? options.watchlist?.settings.social.divisiveIssues;
      analysis = analyzeSitePages(
        pages,
        {
          ...(index === undefined ? {} : { index }),
          ...(divisiveIssues === undefined ? {} : { divisiveIssues }),
          ...(options.infrastructure === undefined
            ? {}
            : { infrastructure: options.infrastructure }),
          flagged,
        },
        now().toISOString(),
      );
      return {
        findings: analysis.findings,
        cases: [...correlateByTarget(analysis.findings, now().toISOString()), ...analysis.cases],
      };
    },
  });
  return { ...summary, pages: pages.length, ...(analysis === undefined ? {} : { analysis }) };
}
