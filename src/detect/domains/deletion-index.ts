/**
 * A deletion-neighbourhood index (the SymSpell idea): every word is stored under each
 * string obtained by deleting up to `maxDeletes` characters. Two words within edit
 * distance d share such a key, so candidates are found by hashing, without comparing
 * against every word; callers verify them with a true distance.
 */
export class DeletionIndex {
  private readonly keys = new Map<string, string[]>();

  constructor(
    words: Iterable<string>,
    readonly maxDeletes: number,
  ) {
    for (const word of new Set(words)) {
      for (const key of deletions(word, this.maxDeletes)) {
        const bucket = this.keys.get(key);
        if (bucket) bucket.push(word);
        else this.keys.set(key, [word]);
      }
    }
  }

  /** Number of keys held (for sizing). */
  get size(): number {
    return this.keys.size;
  }

  /** Words that may be within `maxDeletes` edits of `text` (a superset; verify them). */
  candidates(text: string): Set<string> {
    const found = new Set<string>();
    for (const key of deletions(text, this.maxDeletes)) {
      const bucket = this.keys.get(key);
      if (bucket) for (const word of bucket) found.add(word);
    }
    return found;
  }
}

/** `word` and every string made by deleting up to `depth` of its characters. */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const shorter = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(shorter)) {
          out.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return out;
}
