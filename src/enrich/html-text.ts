/** Bytes looked at to sniff a `<meta charset>` (the HTML standard's prescan reads 1024). */
const PRESCAN_BYTES = 1024;

/** How a page's bytes were turned into text. */
export interface HtmlText {
  text: string;
  /** The encoding used (a WHATWG label, e.g. `utf-8`, `windows-1251`). */
  charset: string;
  /** Where it came from: byte-order mark, HTTP header, meta tag, or the UTF-8 default. */
  charsetSource: "bom" | "header" | "meta" | "default";
  /** The page looks binary (NUL bytes or a known file signature), whatever it claims to be. */
  binary: boolean;
}

/**
 * Decodes a page: byte-order mark, then the Content-Type charset, then a `<meta>`
 * charset in the first 1024 bytes, else UTF-8 (the HTML standard's order, shortened). A
 * label TextDecoder does not know falls back to UTF-8; bad bytes become U+FFFD.
 */
export function decodeHtml(body: Buffer, contentType?: string): HtmlText {
  const binary = looksBinary(body);
  let charset: string | undefined;
  let source: HtmlText["charsetSource"] = "default";
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    charset = "utf-8";
    source = "bom";
  } else if (body[0] === 0xfe && body[1] === 0xff) {
    charset = "utf-16be";
    source = "bom";
  } else if (body[0] === 0xff && body[1] === 0xfe) {
    charset = "utf-16le";
    source = "bom";
  }
  if (charset === undefined) {
    const fromHeader = /charset\s*=\s*["']?([\w.:-]{1,40})/i.exec(contentType ?? "")?.[1];
    if (fromHeader !== undefined && knownLabel(fromHeader)) {
      charset = fromHeader.toLowerCase();
      source = "header";
    }
  }
  if (charset === undefined) {
    const head = body.subarray(0, PRESCAN_BYTES).toString("latin1");
    const fromMeta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]{1,40})/i.exec(head)?.[1];
    if (fromMeta !== undefined && knownLabel(fromMeta)) {
      charset = fromMeta.toLowerCase();
      source = "meta";
    }
  }
  const decoder = new TextDecoder(charset ?? "utf-8", { fatal: false });
  return { text: decoder.decode(body), charset: decoder.encoding, charsetSource: source, binary };
}

function knownLabel(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** NUL bytes early on, or the signature of an image, archive, PDF or executable. */
function looksBinary(body: Buffer): boolean {
  const head = body.subarray(0, 1024);
  if (head.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return false; // UTF-16 BOM
  if (head.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return false;
  const signatures = [
    "89504e47",
    "ffd8ff",
    "47494638",
    "25504446",
    "504b0304",
    "7f454c46",
    "4d5a",
    "1f8b",
  ];
  const hex = head.subarray(0, 4).toString("hex");
  if (signatures.some((s) => hex.startsWith(s))) return true;
  return head.includes(0);
}
