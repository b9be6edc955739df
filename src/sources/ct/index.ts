export {
  type CertstreamOptions,
  type CertstreamProgress,
  followCertstream,
  MAX_CERTSTREAM_MESSAGE_BYTES,
} from "./certstream-source.js";
export {
  CtClient,
  type CtClientOptions,
  type CtRawEntry,
  DEFAULT_CT_TIMEOUT_MS,
  isTemporaryCtError,
  MAX_CT_RESPONSE_BYTES,
  type SignedTreeHead,
} from "./ct-client.js";
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
  type CtLogStatus,
  type CtProgress,
  type CtSourceOptions,
  ctCursorSource,
  DEFAULT_CT_BATCH_SIZE,
  DEFAULT_CT_POLL_MS,
  followCtLogs,
  MAX_CT_BATCH_SIZE,
} from "./ct-source.js";
export {
  CT_LOG_STATES,
  type CtLog,
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
export { readCertificateNames } from "./x509-names.js";
