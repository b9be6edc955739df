import { open } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import sharp from "sharp";
import { DHASH_HEIGHT, DHASH_WIDTH, differenceHash, type ItemProblem } from "../detect/index.js";
import { VigilError } from "../errors.js";

/**
 * Perceptual hashes of profile pictures: the I/O half of avatar comparison. Pictures
 * are read and hashed here, before detection, and the personas detector compares the
 * hashes it is handed (detectors do no I/O).
 */

/** A picture file bigger than this is refused unread (profile pictures are < 5 MB). */
export const MAX_AVATAR_BYTES = 10 * 1024 * 1024;
/**
 * Pixels a picture may decode to: a small file can declare a huge canvas (a
 * decompression bomb); sharp refuses it before allocating.
 */
export const MAX_AVATAR_PIXELS = 40_000_000;
/** Seconds sharp may spend on one picture. */
export const MAX_AVATAR_SECONDS = 10;
/** Pictures hashed in one call. */
export const MAX_AVATAR_FILES = 100_000;

/**
 * The difference hash of a picture (see `differenceHash`): decoded, turned upright,
 * flattened on white, made grey and shrunk to 9 × 8 pixels.
 */
export async function hashImage(image: Buffer): Promise<string> {
  const pixels = await sharp(image, { limitInputPixels: MAX_AVATAR_PIXELS, failOn: "error" })
    .timeout({ seconds: MAX_AVATAR_SECONDS })
    .rotate()
    .flatten({ background: "#ffffff" })
    .greyscale()
    .resize(DHASH_WIDTH, DHASH_HEIGHT, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer();
  return differenceHash(pixels);
}

/**
 * Reads and hashes one picture file. Throws `VIGIL_ERR_SOCIAL_AVATAR` for a file that
 * is missing, too big or not a picture.
 */
export async function hashAvatarFile(path: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    if (size > MAX_AVATAR_BYTES) {
      throw new VigilError(
        "VIGIL_ERR_SOCIAL_AVATAR",
        `${path}: ${size} bytes, more than the ${MAX_AVATAR_BYTES} allowed for a picture`,
      );
    }
    const data = await handle.readFile();
    return await hashImage(data);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw new VigilError("VIGIL_ERR_SOCIAL_AVATAR", `${path}: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    await handle?.close();
  }
}

/** Whether a picture reference is a URL: never fetched, only compared as text. */
export function isUrl(reference: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(reference);
}

/**
 * Hashes the picture files among `references` (avatar paths of accounts, photos of
 * people), as the detector's `avatarHashes` option wants them: keyed by the reference
 * as written. Relative paths are read from `baseDir`. URLs are skipped, never fetched;
 * a file that cannot be hashed is a problem, and the others are still hashed.
 *
 * @example
 * const { hashes } = await hashAvatarFiles(["avatars/dana.jpg"], { baseDir: "export" });
 * new PersonasDetector(watchlist, { avatarHashes: hashes });
 */
export async function hashAvatarFiles(
  references: Iterable<string>,
  options: { baseDir?: string } = {},
): Promise<{ hashes: Map<string, string>; problems: ItemProblem[] }> {
  const hashes = new Map<string, string>();
  const problems: ItemProblem[] = [];
  const unique = [...new Set(references)].filter((r) => !isUrl(r));
  if (unique.length > MAX_AVATAR_FILES) {
    throw new VigilError(
      "VIGIL_ERR_SOCIAL_AVATAR",
      `${unique.length} pictures to hash, more than the ${MAX_AVATAR_FILES} allowed in one call`,
    );
  }
  for (const reference of unique) {
    const path =
      options.baseDir === undefined || isAbsolute(reference)
        ? reference
        : resolve(options.baseDir, reference);
    try {
      hashes.set(reference, await hashAvatarFile(path));
    } catch (err) {
      const e = err as VigilError;
      problems.push({ item: reference, code: e.code, message: e.message });
    }
  }
  return { hashes, problems };
}
