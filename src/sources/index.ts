export {
  type DomainListOptions,
  openInputFile,
  readDomainList,
  type SourceItem,
} from "./domain-list-source.js";
export { type Line, MAX_LINE_BYTES, readLines } from "./line-reader.js";
