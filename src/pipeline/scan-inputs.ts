import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { openInputFile, type SourceItem } from "../sources/index.js";

/** An input to scan: a file path, or a named stream (standard input). */
export type ScanInput = string | { name: string; stream: Readable };

/** The name an input is reported by: its path, or the stream's name. */
export function inputName(input: ScanInput): string {
  return typeof input === "string" ? input : input.name;
}

/**
 * Each input's size when it is a regular file, for the progress bar, and their total
 * when every input is a file (a stream's length is not known up front).
 */
export async function inputSizes(
  inputs: readonly ScanInput[],
): Promise<{ sizes: Array<number | undefined>; total?: number }> {
  const sizes = await Promise.all(
    inputs.map((input) =>
      typeof input === "string"
        ? stat(input).then(
            (info) => (info.isFile() ? info.size : undefined),
            () => undefined,
          )
        : undefined,
    ),
  );
  if (!inputs.every((input) => typeof input === "string")) return { sizes };
  return { sizes, total: sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0) };
}

/**
 * Yields what `read` makes of each input, opening each file only when its turn comes so
 * a scan of many files holds one descriptor at a time. An input that cannot be opened,
 * or fails while it is read (EIO, a pipe closed), is a problem of the run: what was read
 * of it stays, and the next input is read.
 */
export async function* readEachInput(
  inputs: readonly ScanInput[],
  read: (stream: Readable, input: ScanInput, index: number) => AsyncIterable<SourceItem>,
): AsyncGenerator<SourceItem> {
  for (const [index, input] of inputs.entries()) {
    const name = inputName(input);
    let stream: Readable;
    try {
      stream = typeof input === "string" ? (await openInputFile(input)).stream : input.stream;
    } catch (err) {
      yield {
        problem: {
          item: name,
          code: "VIGIL_ERR_INPUT_UNREADABLE",
          message: `cannot read: ${(err as Error).message}`,
        },
      };
      continue;
    }
    try {
      yield* read(stream, input, index);
    } catch (err) {
      yield {
        problem: {
          item: name,
          code: "VIGIL_ERR_INPUT_UNREADABLE",
          message: `read failed: ${(err as Error).message}`,
        },
      };
    } finally {
      stream.destroy();
    }
  }
}
