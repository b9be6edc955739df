import { VigilError } from "../errors.js";

/** Parses a whole number option, rejecting anything else with a usage error naming it. */
export function parseCount(text: string, option: string, max = 100_000): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `${option} must be an integer from 1 to ${max}, not "${text}"`,
    );
  }
  return n;
}

/** Parses a score option (0..1). */
export function parseScore(text: string, option: string): number {
  const s = Number(text);
  if (text.trim() === "" || !Number.isFinite(s) || s < 0 || s > 1) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `${option} must be a number from 0 to 1, not "${text}"`,
    );
  }
  return s;
}

/** Parses a whole number option from `min` to `max`, rejecting anything else with a usage error. */
export function parseInteger(text: string, option: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `${option} must be an integer from ${min} to ${max}, not "${text}"`,
    );
  }
  return n;
}

/** An ISO 8601 instant given to `--since`, normalised; undefined when not given. */
export function parseSince(text: string | undefined, option = "--since"): string | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `${option} must be an ISO 8601 instant such as 2024-08-01T00:00:00Z, not "${text}"`,
    );
  }
  return new Date(time).toISOString();
}

/** Commander parser of a repeatable option: every value given, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
