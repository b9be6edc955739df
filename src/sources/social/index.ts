export {
  CSV_ACCOUNT_FIELDS,
  CSV_COLUMN_ALIASES,
  CSV_POST_FIELDS,
  type CsvColumnMap,
  type CsvField,
  parseColumnMap,
} from "./csv-column-map.js";
export { MAX_CSV_RECORD_CHARS, MAX_CSV_RECORD_LINES } from "./csv-records.js";
export { MAX_JSON_DOCUMENT_BYTES } from "./read-json-document.js";
export { type ReadSocialOptions, readSocial } from "./read-social.js";
export { readSocialCsv, type SocialCsvOptions } from "./social-csv-reader.js";
export {
  detectSocialFormat,
  SOCIAL_FORMATS,
  type SocialFormat,
} from "./social-format.js";
export { MAX_REMEMBERED_ITEMS, type SocialReaderOptions } from "./social-item.js";
export { MAX_SOCIAL_LINE_BYTES, readSocialJsonl } from "./social-jsonl-reader.js";
export { readTelegramExport, TELEGRAM_PLATFORM } from "./telegram-reader.js";
export { MAX_X_RESPONSE_LINE_BYTES, readXV2, X_PLATFORM } from "./x-v2-reader.js";
