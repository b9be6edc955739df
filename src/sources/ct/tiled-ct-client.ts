import { type Checkpoint, CheckpointError, parseCheckpoint } from "./checkpoint.js";
import type { CtLogClient, CtRawEntry } from "./ct-client.js";
import { type CtClientOptions, CtFetcher } from "./ct-fetcher.js";
import { dataTilePath, readDataTile, TILE_WIDTH } from "./data-tile.js";

/** A tile as read, kept so that batches smaller than a tile do not fetch it again. */
interface CachedTile {
  index: number;
  width: number;
  entries: CtRawEntry[];
}

/**
 * A client for one Static CT API log (c2sp.org/static-ct-api, formerly the Sunlight
 * API): the checkpoint and data tiles below its monitoring prefix, fetched with the same
 * timeouts, size limits and retries as `CtClient` (see `CtFetcher`), gzip accepted.
 *
 * `getEntries` answers from the one tile that holds `start`, so it returns at most the
 * rest of that tile. Entries are addressed through the largest checkpoint seen, so call
 * `getSth` first: the rightmost tile of a tree of size s is partial, s mod 256 wide, and
 * is fetched as such (or, if the log has since grown and dropped it, as the full tile).
 * Whether a partial tile is worth fetching yet is the caller's choice.
 *
 * @example
 * const client = new TiledCtClient("https://mon.example.com/2025h2/");
 * const { treeSize } = await client.getSth();
 * const entries = await client.getEntries(0, Math.min(treeSize, 256) - 1);
 */
export class TiledCtClient implements CtLogClient {
  /** The monitoring prefix, ending in `/`. */
  readonly monitoringUrl: string;
  readonly #http: CtFetcher;
  #treeSize = 0;
  #cached: CachedTile | undefined;

  /** @param monitoringUrl the log's monitoring prefix (see `normaliseLogUrl`). */
  constructor(monitoringUrl: string, options: CtClientOptions = {}) {
    this.monitoringUrl = monitoringUrl.endsWith("/") ? monitoringUrl : `${monitoringUrl}/`;
    this.#http = new CtFetcher(options);
  }

  /** `GET <prefix>/checkpoint`: the log's latest size (the note's signatures are not checked). */
  async getSth(signal?: AbortSignal): Promise<Checkpoint> {
    const checkpoint = await this.#http.get(`${this.monitoringUrl}checkpoint`, {
      accept: "text/plain",
      signal,
      parse: (body) => {
        try {
          return parseCheckpoint(body);
        } catch (err) {
          if (err instanceof CheckpointError) throw new Error(`not a checkpoint: ${err.message}`);
          throw err;
        }
      },
    });
    // A load-balanced log may answer from a front end that lags: addressing never shrinks.
    this.#treeSize = Math.max(this.#treeSize, checkpoint.treeSize);
    return checkpoint;
  }

  /**
   * Entries `start..end` (inclusive) as far as the data tile holding `start` goes. A
   * malformed leaf is reported as that entry's `ok: false`, and so is every entry after
   * it in the tile (their positions are unknown); the next tile is read as usual.
   *
   * @throws RangeError when `end` is beyond the largest checkpoint seen.
   */
  async getEntries(start: number, end: number, signal?: AbortSignal): Promise<CtRawEntry[]> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new RangeError(`bad entry range ${start}..${end}`);
    }
    if (end >= this.#treeSize) {
      throw new RangeError(
        `entry ${end} is beyond the latest checkpoint (size ${this.#treeSize}); call getSth first`,
      );
    }
    const index = Math.floor(start / TILE_WIDTH);
    const first = index * TILE_WIDTH;
    const width = Math.min(TILE_WIDTH, this.#treeSize - first);
    let tile = this.#cached;
    if (tile === undefined || tile.index !== index || tile.width < width) {
      tile = await this.#fetchTile(index, width, signal);
      this.#cached = tile;
    }
    return tile.entries.slice(start - first, Math.min(end - first + 1, tile.width));
  }

  async #fetchTile(index: number, width: number, signal?: AbortSignal): Promise<CachedTile> {
    const get = (w: number, onNotFound?: () => Promise<CachedTile>) =>
      this.#http.get<CachedTile>(`${this.monitoringUrl}${dataTilePath(index, w)}`, {
        accept: "application/octet-stream",
        // static-ct-api: logs may gzip data tiles without negotiation; fetch undoes it.
        headers: { "accept-encoding": "gzip, identity" },
        signal,
        parse: (body) => ({
          index,
          width: w,
          entries: readDataTile(body, w, index * TILE_WIDTH),
        }),
        ...(onNotFound === undefined ? {} : { onNotFound }),
      });
    if (width === TILE_WIDTH) return get(TILE_WIDTH);
    // tlog-tiles: once the full tile exists a log may drop the partial ones, so a missing
    // partial tile means the log has grown past it.
    return get(width, () => get(TILE_WIDTH));
  }
}
