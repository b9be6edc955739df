import { isAbsolute, relative, resolve, sep } from "node:path";
import type { ItemProblem } from "../detect/index.js";
import { VigilError } from "../errors.js";
import { hashAvatarFile, isUrl, MAX_AVATAR_FILES } from "./avatar-hash.js";

/** What hashing one picture reference came to. */
export type AvatarHashResult =
  | { hash: string }
  | { problem: ItemProblem }
  /** A URL, a missing file, a reference already tried, or past the limit: nothing to do. */
  | undefined;

/**
 * Hashes the profile pictures that accounts of a stream name, as they are read. Only
 * local files are read, and only under the directory of the export that names them: an
 * export is data from elsewhere, and must not make vigil read `/etc/…` or `../../…`.
 * URLs are never fetched. A file that is not there is skipped without a problem, since
 * exports often leave pictures out (the detector then compares paths only); one that is
 * there but cannot be hashed (too big, not a picture) is a problem. Each reference is
 * hashed once per run, from the first export that names it, and at most
 * `MAX_AVATAR_FILES` pictures are hashed in a run.
 *
 * @example
 * const hasher = new AvatarHasher();
 * const result = await hasher.hash("avatars/dana.jpg", "exports/2024-08");
 * if (result && "hash" in result) detector.addAvatarHash("avatars/dana.jpg", result.hash);
 */
export class AvatarHasher {
  private readonly tried = new Set<string>();
  private hashed = 0;
  private warned = false;

  /** Hashes `reference` (as the account writes it) relative to `baseDir`. */
  async hash(reference: string, baseDir: string): Promise<AvatarHashResult> {
    if (isUrl(reference) || this.tried.has(reference)) return undefined;
    this.tried.add(reference);
    const base = resolve(baseDir);
    const path = resolve(base, reference);
    const inside = relative(base, path);
    if (
      isAbsolute(reference) ||
      inside === "" ||
      inside.startsWith(`..${sep}`) ||
      inside === ".."
    ) {
      return {
        problem: {
          item: reference,
          code: "VIGIL_ERR_SOCIAL_AVATAR",
          message: "not read: a picture must be a path under the export's own directory",
        },
      };
    }
    if (this.hashed >= MAX_AVATAR_FILES) {
      if (this.warned) return undefined;
      this.warned = true;
      return {
        problem: {
          item: reference,
          code: "VIGIL_ERR_SOCIAL_AVATAR",
          message: `not read: ${MAX_AVATAR_FILES} pictures already hashed in this run, the most allowed`,
        },
      };
    }
    try {
      const hash = await hashAvatarFile(path);
      this.hashed++;
      return { hash };
    } catch (err) {
      const cause = (err as { cause?: { code?: unknown } }).cause;
      if (cause?.code === "ENOENT") return undefined;
      const e =
        err instanceof VigilError ? err : new VigilError("VIGIL_ERR_SOCIAL_AVATAR", String(err));
      // The message names the path as the account wrote it, not where it was looked for.
      return {
        problem: {
          item: reference,
          code: e.code,
          message: e.message.replace(path, reference),
        },
      };
    }
  }
}
