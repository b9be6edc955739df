/**
 * The sniffed types (see the mail source's `sniffFileType`) a file with this extension
 * may legitimately have.
 */
const EXPECTED: Record<string, readonly string[]> = {
  pdf: ["pdf"],
  doc: ["ole", "rtf"],
  xls: ["ole"],
  ppt: ["ole"],
  docx: ["zip"],
  xlsx: ["zip"],
  pptx: ["zip"],
  odt: ["zip"],
  zip: ["zip"],
  rar: ["rar"],
  "7z": ["7z"],
  gz: ["gzip"],
  jpg: ["jpeg"],
  jpeg: ["jpeg"],
  png: ["png"],
  gif: ["gif"],
  txt: [],
  csv: [],
  rtf: ["rtf"],
};

/**
 * Whether a file named with extension `ext` holds something else (`invoice.pdf` that is
 * an executable or HTML). Only extensions with a known signature are judged, and only
 * when the content was recognised.
 */
export function extensionMismatch(ext: string, sniffed: string | undefined): boolean {
  if (sniffed === undefined) return false;
  const expected = EXPECTED[ext.toLowerCase()];
  if (expected === undefined) return false;
  return !expected.includes(sniffed);
}
