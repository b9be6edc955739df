import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Folder levels walked below an input folder (a Maildir is three deep). */
export const MAX_FOLDER_DEPTH = 32;
/** Files listed from one input folder. */
export const MAX_FOLDER_FILES = 1_000_000;

/**
 * The files of an input: the path itself when it is a file, or every file below a folder
 * (recursively, in name order, hidden entries and symbolic links to folders skipped so
 * a link cannot loop). A folder that cannot be read is reported, the rest still listed.
 */
export async function mailFiles(
  path: string,
): Promise<{ files: string[]; problems: Array<{ item: string; message: string }> }> {
  const files: string[] = [];
  const problems: Array<{ item: string; message: string }> = [];
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) return { files: [path], problems };
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_FOLDER_DEPTH) {
      problems.push({ item: dir, message: `deeper than ${MAX_FOLDER_DEPTH} folders: not read` });
      return;
    }
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ item: dir, message: `cannot read folder: ${(err as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if (entry.isFile()) {
        if (files.length >= MAX_FOLDER_FILES) {
          problems.push({
            item: path,
            message: `more than ${MAX_FOLDER_FILES} files: the rest not read`,
          });
          return;
        }
        files.push(full);
      }
    }
  };
  await walk(path, 0);
  return { files, problems };
}
