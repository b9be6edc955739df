export {
  type CertstreamOptions,
  type CertstreamProgress,
  followCertstream,
  MAX_CERTSTREAM_MESSAGE_BYTES,
} from "./certstream-source.js";
export {
  type Checkpoint,
  MAX_CHECKPOINT_BYTES,
  MAX_CHECKPOINT_LINES,
  type NoteSignature,
  parseCheckpoint,
} from "./checkpoint.js";
export { CtClient, type CtLogClient, type CtRawEntry, type SignedTreeHead } from "./ct-client.js";
export {
  type CtEntryNames,
  type CtEntryResult,
  type CtEntryType,
  decodeMerkleTreeLeaf,
  MAX_LEAF_BYTES,
  type MerkleTreeLeaf,
  readCtEntry,
} from "./ct-entry.js";
export {
  type CtClientOptions,
  DEFAULT_CT_TIMEOUT_MS,
  isTemporaryCtError,
  MAX_CT_RESPONSE_BYTES,
} from "./ct-fetcher.js";
export {
  type CtLogStatus,
  type CtProgress,
  type CtSourceOptions,
  ctCursorSource,
  DEFAULT_CT_BATCH_SIZE,
  DEFAULT_CT_POLL_MS,
  DEFAULT_PARTIAL_TILE_WAIT_MS,
  followCtLogs,
  MAX_CT_BATCH_SIZE,
} from "./ct-source.js";
export { dataTilePath, readDataTile, TILE_WIDTH, tileIndexPath } from "./data-tile.js";
export {
  CT_LOG_APIS,
  CT_LOG_STATES,
  type CtLog,
  type CtLogApi,
  type CtLogState,
  DEFAULT_CT_LOG_STATES,
  logFromUrl,
  MAX_LOG_LIST_BYTES,
  normaliseLogUrl,
  parseLogList,
  readLogList,
  selectLogs,
} from "./log-list.js";
export {
  type CertificateNames,
  MAX_NAMES_PER_CERTIFICATE,
  readTbsNames,
  tbsOfCertificate,
} from "./tbs-certificate.js";
export { TiledCtClient } from "./tiled-ct-client.js";
export { readCertificateNames } from "./x509-names.js";
