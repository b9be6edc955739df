export * from "./ct/index.js";
export {
  type DomainListOptions,
  openInputFile,
  readDomainList,
} from "./domain-list-source.js";
export { type Line, MAX_LINE_BYTES, readLines } from "./line-reader.js";
export * from "./mail/index.js";
export * from "./social/index.js";
export type { SourceCursor, SourceItem } from "./source-item.js";
export * from "./web/index.js";
