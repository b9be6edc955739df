/**
 * Vigil's programmatic API: the same functions the `vigil` command calls.
 *
 * @example
 * import { loadWatchlist, openStore, scanDomains } from "vigil";
 * const store = await openStore({ path: "vigil.db" });
 * const summary = await scanDomains(["candidates.txt"], { store, watchlist: await loadWatchlist("vigil.yaml") });
 */
export * from "./detect/index.js";
export * from "./enrich/index.js";
export * from "./errors.js";
export * from "./evidence/index.js";
export * from "./model/index.js";
export * from "./notify/index.js";
export * from "./pipeline/index.js";
export * from "./sources/index.js";
export * from "./store/index.js";
export * from "./synth/index.js";
export * from "./watchlist/index.js";
