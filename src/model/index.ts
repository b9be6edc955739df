export * from "./case.js";
export * from "./domain-name.js";
export * from "./finding.js";
export * from "./ids.js";
export * from "./observation.js";
export * from "./social.js";
export * from "./social-time.js";
export * from "./watchlist.js";
