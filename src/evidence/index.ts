export { captureWarc } from "./capture-warc.js";
export {
  EVIDENCE_LOG_FILE,
  type EvidenceEntry,
  type EvidenceFacts,
  EvidenceLog,
  entryHash,
  GENESIS_HASH,
  LOCK_WAIT_MS,
  readEvidenceLines,
  SCREENSHOT_FOLDER,
  STALE_LOCK_MS,
  WARC_FOLDER,
} from "./evidence-log.js";
export {
  type BrokenEntry,
  type EvidenceVerification,
  MAX_SCREENSHOT_BYTES,
  verifyEvidence,
} from "./verify-evidence.js";
export {
  checkWarcDigests,
  MAX_WARC_BYTES,
  MAX_WARC_RECORDS,
  readWarc,
  type WarcRecordRead,
} from "./warc-reader.js";
export {
  httpPayload,
  type WarcRecordInput,
  warcDigest,
  warcRecord,
  warcRecordId,
} from "./warc-record.js";
