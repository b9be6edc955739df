export { type CsvRowProblem, type OutletsCsvResult, parseOutletsCsv } from "./outlets-csv.js";
export { decodeUtf8, readFileLimited, readTextFile } from "./read-text-file.js";
export {
  completeIds,
  loadWatchlist,
  MAX_WATCHLIST_BYTES,
  mergeOutlets,
  parseWatchlist,
  saveWatchlist,
  slug,
} from "./watchlist-file.js";
