import { type ErrorCode, VigilError } from "../errors.js";

/**
 * Wraps a failure from the database layer in a `VigilError` with `code`, appending the
 * original message so the one-line CLI error still says what the engine objected to.
 * A `VigilError` raised on purpose inside the store passes through unchanged.
 */
export function storeError(code: ErrorCode, message: string, cause: unknown): VigilError {
  if (cause instanceof VigilError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new VigilError(code, `${message}: ${detail}`, { cause });
}
