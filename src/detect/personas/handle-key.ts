import { skeleton } from "../domains/index.js";

/**
 * Handles and how they are read. A handle is read case-insensitively by every platform,
 * and readers skip the separators, take look-alike characters for the letters they
 * imitate and do not count doubled letters: two handles with the same key pass for each
 * other at a glance.
 */

/** Characters platforms allow between the words of a handle. */
const SEPARATORS = /[._-]+/g;

/**
 * Digits and ASCII sequences read as letters in a handle, as impersonators use them:
 * `danawh1tfield`, `danawhitfieId` (capital I, lower-cased to i), `rnarcus` for
 * `marcus`, `vv` for `w`. `i` and `l` are one letter here (each passes for the other),
 * as in the domains detector's `asciiSkeleton`.
 */
const READ_AS: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "l",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  $: "s",
  "@": "a",
  i: "l",
  "|": "l",
};

/** The lower-cased handle without a leading `@`. */
export function lowerHandle(handle: string): string {
  return handle.replace(/^@/, "").normalize("NFKC").toLowerCase();
}

/** Whether the handle has characters outside ASCII (Cyrillic а, Greek ο, full-width letters). */
export function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return true;
  return false;
}

/**
 * The handle as a reader takes it, before digits and doubled letters are folded:
 * non-ASCII characters by their UTS #39 prototype (Cyrillic `а` → `a`), lower-cased,
 * separators dropped.
 */
export function plainHandle(handle: string): string {
  const h = handle.replace(/^@/, "");
  // Most handles are ASCII: the skeleton of ASCII is its lower case.
  const read = hasNonAscii(h) ? skeleton(h.normalize("NFKC")) : h.toLowerCase();
  return read.replace(SEPARATORS, "");
}

/** Reads digits and look-alike sequences as letters (`0` → `o`, `rn` → `m`, `vv` → `w`). */
export function readAsLetters(plain: string): string {
  let out = "";
  for (let i = 0; i < plain.length; i++) {
    const c = plain[i] as string;
    const next = plain[i + 1];
    if (c === "r" && next === "n") {
      out += "m";
      i++;
    } else if (c === "v" && next === "v") {
      out += "w";
      i++;
    } else out += READ_AS[c] ?? c;
  }
  return out;
}

/** Folds runs of one letter into one (`danawhitfiield` → `danawhitfield`). */
export function collapseRuns(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) if (text[i] !== text[i - 1]) out += text[i];
  return out;
}

/** Digits at the start and end of a plain handle, and what is between them. */
export function splitDigits(plain: string): { head: string; core: string; tail: string } {
  const m = /^([0-9]*)(.*?)([0-9]*)$/.exec(plain) as RegExpExecArray;
  // A handle of digits only keeps them: there is no core to read.
  if (m[2] === "") return { head: "", core: plain, tail: "" };
  return { head: m[1] as string, core: m[2] as string, tail: m[3] as string };
}

/**
 * The key a handle is indexed and looked up by: `plainHandle` without leading and
 * trailing digits (added digits are an affix, not a disguise), read as letters, with
 * runs folded. `Dana_Wh1tfiield`, `danawhitfieId` and `dаnawhitfield` (Cyrillic а) all
 * have the key of `danawhitfield`.
 */
export function handleKey(handle: string): string {
  return keyOfPlain(plainHandle(handle));
}

/** `handleKey` of a handle already made plain. */
export function keyOfPlain(plain: string): string {
  return collapseRuns(readAsLetters(splitDigits(plain).core));
}

/**
 * Ways a handle that reads the same as a protected one was made from it, strongest
 * disguise first.
 */
export type HandleDisguise =
  | "identical"
  | "separators"
  | "confusable"
  | "digit-letter"
  | "doubled-letter"
  | "added-digits";

/**
 * How `candidate`, whose key equals the key of `genuine`, was made from it: the first
 * reading step after which the two are equal.
 *
 * @example handleTrick("dana_whitfield", "danawhitfield") // "separators"
 */
export function handleTrick(candidate: string, genuine: string): HandleDisguise {
  const c = lowerHandle(candidate);
  const g = lowerHandle(genuine);
  if (c === g) return "identical";
  const cPlain = plainHandle(candidate);
  const gPlain = plainHandle(genuine);
  const nonAscii = hasNonAscii(c);
  if (cPlain === gPlain) return nonAscii ? "confusable" : "separators";
  const cDigits = splitDigits(cPlain);
  const gDigits = splitDigits(gPlain);
  if (readAsLetters(cPlain) === readAsLetters(gPlain)) {
    return nonAscii ? "confusable" : "digit-letter";
  }
  if (collapseRuns(readAsLetters(cPlain)) === collapseRuns(readAsLetters(gPlain))) {
    return nonAscii ? "confusable" : "doubled-letter";
  }
  if (cDigits.head + cDigits.tail !== gDigits.head + gDigits.tail) return "added-digits";
  return nonAscii ? "confusable" : "digit-letter";
}
