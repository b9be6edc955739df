import { expect } from "vitest";
import { VigilError } from "../../src/errors.js";

/** Runs `fn`, expecting it to throw a VigilError, and returns that error. */
export function vigilError(fn: () => unknown): VigilError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VigilError);
    return err as VigilError;
  }
  throw new Error("expected a VigilError, nothing was thrown");
}
