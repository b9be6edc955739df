import { readFile, stat } from "node:fs/promises";
import { type ErrorCode, VigilError } from "../errors.js";

/**
 * Reads a whole regular file no bigger than `maxBytes`. A missing or unreadable file is
 * `VIGIL_ERR_INPUT_UNREADABLE`; one that is too big, or not a file, gets `code`.
 */
export async function readFileLimited(
  path: string,
  maxBytes: number,
  code: ErrorCode,
): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new VigilError(code, `${path}: not a regular file`);
    size = info.size;
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw new VigilError(
      "VIGIL_ERR_INPUT_UNREADABLE",
      `${path}: cannot read (${(err as Error).message})`,
      { cause: err },
    );
  }
  if (size > maxBytes) {
    throw new VigilError(code, `${path}: ${size} bytes is more than the limit of ${maxBytes}`);
  }
  return readFile(path);
}

/**
 * Reads a whole UTF-8 text file no bigger than `maxBytes`, rejecting binary content and
 * invalid UTF-8 with an error that names the file and line.
 */
export async function readTextFile(
  path: string,
  maxBytes: number,
  code: ErrorCode,
): Promise<string> {
  return decodeUtf8(await readFileLimited(path, maxBytes, code), path, code);
}

/** Decodes UTF-8 strictly; names the line of the first NUL byte or invalid sequence. */
export function decodeUtf8(bytes: Uint8Array, name: string, code: ErrorCode): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new VigilError(
      code,
      `${name} line ${lineOf(bytes, nul)}: binary data (NUL byte), not text`,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (err) {
    const at = firstInvalidUtf8(bytes);
    throw new VigilError(code, `${name} line ${lineOf(bytes, at)}: invalid UTF-8`, { cause: err });
  }
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return start;
      }
      start = i + 1;
    }
  }
  return 0;
}
