import { Readable } from "node:stream";
import type { ItemProblem, Observation, SourceItem } from "../../src/index.js";

/** What a source yielded, split into observations and problems. */
export interface CollectedItems {
  observations: Observation[];
  problems: ItemProblem[];
  /** The `data` of the observations of one kind, in order. */
  data(kind: Observation["kind"]): Array<Record<string, unknown>>;
}

/** Drains a source and sorts what it yielded. */
export async function collectItems(source: AsyncIterable<SourceItem>): Promise<CollectedItems> {
  const observations: Observation[] = [];
  const problems: ItemProblem[] = [];
  for await (const item of source) {
    if ("observation" in item) observations.push(item.observation);
    else if ("problem" in item) problems.push(item.problem);
  }
  return {
    observations,
    problems,
    data: (kind) => observations.filter((o) => o.kind === kind).map((o) => o.data),
  };
}

/** `text` (or bytes) as a stream cut into chunks of `chunkSize` bytes, as a file arrives. */
export function streamOf(text: string | Uint8Array, chunkSize = 64 * 1024): Readable {
  const bytes = typeof text === "string" ? Buffer.from(text) : Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize)
    chunks.push(bytes.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}
