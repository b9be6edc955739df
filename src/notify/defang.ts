/** Longest piece of attacker-written text (a subject, an address) put into a notice. */
export const MAX_QUOTED_CHARS = 300;

/**
 * Makes text from a hostile message safe to quote in a notice: URLs and host names are
 * defanged (`hxxps://login[.]example[.]com`) so no mail client turns them into links the
 * reader could click, control characters and line breaks become spaces (no header or
 * layout injection), and the text is cut to `MAX_QUOTED_CHARS`.
 */
export function defang(text: string, max = MAX_QUOTED_CHARS): string {
  // Control characters (C0, DEL, C1) and bidi overrides that could reorder what is shown.
  const flat = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const cut = flat.length > max ? `${flat.slice(0, max)}…` : flat;
  return cut
    .replace(/\bhttp(s?):\/\//gi, "hxxp$1://")
    .replace(/\bwww\./gi, "www[.]")
    .replace(
      /\b([a-z0-9-]+)\.((?:[a-z0-9-]+\.)*(?:[a-z]{2,63}|xn--[a-z0-9-]+))\b/gi,
      (match: string) => match.replace(/\./g, "[.]"),
    );
}
