/**
 * Site pages for the site detector tests: an HTML capture as `scanSites` would store it,
 * its features extracted by the real extractor.
 */
import { extractPage, type SitePage } from "../../src/index.js";

/** The page of `url` with `html`, captured 2024-08-20 unless `extra` says otherwise. */
export function sitePage(url: string, html: string, extra: Partial<SitePage> = {}): SitePage {
  const host = new URL(url).hostname;
  return {
    observationId: `obs-${url}`,
    url,
    host,
    site: host.replace(/^www\./, ""),
    capturedAt: "2024-08-20T12:00:00.000Z",
    page: extractPage(Buffer.from(html), url),
    ...extra,
  };
}
