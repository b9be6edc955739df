import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { VigilError } from "../../errors.js";

/** Content codings undone in one answer (`gzip, gzip` is legal, a long chain is an attack). */
export const MAX_CONTENT_CODINGS = 2;

/**
 * Undoes an answer's `Content-Encoding` (gzip, deflate, br; applied in the order listed,
 * so undone in reverse), refusing to produce more than `maxBytes`: zlib stops at
 * `maxOutputLength` without allocating past it, so a decompression bomb costs at most
 * the limit. An unknown coding leaves the body as received, said in `undecoded`.
 *
 * @throws VigilError `VIGIL_ERR_WEB_LIMIT` when the decoded body is over `maxBytes`,
 *   `VIGIL_ERR_WEB_CONTENT` when it is not valid for its coding.
 */
export function decodeBody(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): { body: Buffer; codings: string[]; undecoded?: string } {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity");
  if (codings.length === 0) return { body: raw, codings };
  if (codings.length > MAX_CONTENT_CODINGS) {
    throw new VigilError(
      "VIGIL_ERR_WEB_LIMIT",
      `${codings.length} content codings, more than ${MAX_CONTENT_CODINGS}`,
    );
  }
  let body = raw;
  for (const coding of [...codings].reverse()) {
    const options = { maxOutputLength: maxBytes };
    try {
      if (coding === "gzip" || coding === "x-gzip") body = gunzipSync(body, options);
      else if (coding === "br") body = brotliDecompressSync(body, options);
      else if (coding === "deflate") body = inflateZlibOrRaw(body, options);
      else return { body: raw, codings, undecoded: coding };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        throw new VigilError(
          "VIGIL_ERR_WEB_LIMIT",
          `body decodes (${coding}) to more than the limit of ${maxBytes} bytes`,
          { cause: err },
        );
      }
      throw new VigilError(
        "VIGIL_ERR_WEB_CONTENT",
        `body is not valid ${coding}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return { body, codings };
}

/** `deflate` should be zlib-wrapped (RFC 9110 §8.4.1.2); some servers send it raw. */
function inflateZlibOrRaw(body: Buffer, options: { maxOutputLength: number }): Buffer {
  try {
    return inflateSync(body, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw err;
    return inflateRawSync(body, options);
  }
}
