import type { Readable } from "node:stream";

/** The first bytes of an input, and the whole input (those bytes included) to read on. */
export interface PeekedInput {
  head: Uint8Array;
  input: AsyncIterable<Uint8Array>;
}

/**
 * Reads at least `bytes` bytes of an input (fewer if it ends first) so its format can be
 * told, and gives back an iterable that replays them before the rest: standard input
 * cannot be rewound, and a file need not be opened twice.
 */
export async function peekInput(
  source: Readable | AsyncIterable<Uint8Array | string>,
  bytes: number,
): Promise<PeekedInput> {
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks, length).subarray(0, Math.min(length, bytes));
  async function* replay(): AsyncGenerator<Uint8Array> {
    let finished = done;
    try {
      yield* chunks.splice(0);
      while (!finished) {
        const next = await iterator.next();
        if (next.done === true) {
          finished = true;
          break;
        }
        yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      }
    } finally {
      // A reader that stops early releases the source, as `for await` would.
      if (!finished) await iterator.return?.();
    }
  }
  return { head, input: replay() };
}
