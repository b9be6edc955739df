/**
 * Instants before this are refused: no social platform whose exports Vigil reads existed
 * then, so such a time is a parsing accident (a day count read as seconds, a zero).
 */
export const MIN_SOCIAL_TIME_MS = Date.UTC(1990, 0, 1);
/** Instants after this are refused too: far-future times are corrupt or hostile. */
export const MAX_SOCIAL_TIME_MS = Date.UTC(2100, 0, 1);
/** Longest time text looked at; the longest accepted form is about 35 characters. */
const MAX_TIME_TEXT = 64;

/** ISO 8601 date, with an optional time and zone; `T` or one space between date and time. */
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** The X API v1.1 and Twitter archive form: `Wed Oct 10 20:19:24 +0000 2018`. */
const LEGACY_TWITTER_RE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$/;
/** Seconds (10 digits for the years accepted) or milliseconds (13) since 1970. */
const UNIX_RE = /^\d{9,13}(?:\.\d+)?$/;

/**
 * Reads a time as platforms and exports write it and gives it in `toISOString()` form
 * (UTC, milliseconds), so equal instants compare equal as text. Accepted: ISO 8601
 * (a time without a zone is taken as UTC, a date alone as its midnight UTC), Unix
 * seconds or milliseconds as a number or a string of digits, and the X v1.1 form.
 * Anything else, or an instant outside 1990–2100, gives `undefined`.
 *
 * @example normaliseSocialTime("2024-10-05 14:03:00") // "2024-10-05T14:03:00.000Z"
 * @example normaliseSocialTime("1728136980") // "2024-10-05T14:03:00.000Z"
 */
export function normaliseSocialTime(value: unknown): string | undefined {
  if (typeof value === "string" && isCanonicalSocialTime(value)) return value;
  let ms: number | undefined;
  if (typeof value === "number") ms = unixToMs(value);
  else if (typeof value === "string") {
    const text = value.trim();
    if (text.length > MAX_TIME_TEXT) return undefined;
    if (UNIX_RE.test(text)) ms = unixToMs(Number(text));
    else if (LEGACY_TWITTER_RE.test(text)) ms = Date.parse(text);
    else ms = isoToMs(text);
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  if (ms < MIN_SOCIAL_TIME_MS || ms >= MAX_SOCIAL_TIME_MS) return undefined;
  return new Date(ms).toISOString();
}

/*
 * The range as years: both limits are the first instant of a year, so the year alone
 * tells whether a time is inside.
 */
const MIN_SOCIAL_YEAR = new Date(MIN_SOCIAL_TIME_MS).getUTCFullYear();
const MAX_SOCIAL_YEAR = new Date(MAX_SOCIAL_TIME_MS).getUTCFullYear();

/** Length of `toISOString()` text for the years accepted: `2024-10-05T14:03:00.000Z`. */
const CANONICAL_TIME_LENGTH = 24;

/**
 * Whether `text` is already what `normaliseSocialTime` gives for it: `toISOString()`
 * form, a real date, inside 1990–2100. Exports written by Vigil (and most others) use
 * this form, and checking its digits is far cheaper than a pattern and two `Date`s.
 *
 * @example isCanonicalSocialTime("2024-10-05T14:03:00.000Z") // true
 * @example isCanonicalSocialTime("2024-02-30T14:03:00.000Z") // false
 */
export function isCanonicalSocialTime(text: string): boolean {
  if (text.length !== CANONICAL_TIME_LENGTH) return false;
  if (
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || // :
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(19) !== 0x2e || // .
    text.charCodeAt(23) !== 0x5a // Z
  )
    return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  // The milliseconds need only be digits.
  if (digits(text, 20, 3) < 0) return false;
  if (year < MIN_SOCIAL_YEAR || year >= MAX_SOCIAL_YEAR) return false;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/** The number written by `length` ASCII digits at `start`, or -1 if one is not a digit. */
function digits(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Numbers below 10^11 are seconds: as milliseconds they would fall in 1973. */
function unixToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
}

function isoToMs(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const base = Date.UTC(
    year,
    month - 1,
    day,
    hour,
    minute,
    second,
    Number(frac.padEnd(3, "0").slice(0, 3)),
  );
  // Date.UTC rolls 31 February over into March; a date that moved is not a date.
  if (new Date(base).getUTCDate() !== day) return undefined;
  const offset = zoneOffsetMs(zone);
  return offset === undefined ? undefined : base - offset;
}

/** The zone's offset from UTC; `undefined` beyond ±14:00, which no zone uses. */
function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}
