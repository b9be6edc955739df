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
    // Deletion neighbourhoods grow as length^depth; past 2 the index is no longer small.
    if (!Number.isInteger(maxDeletes) || maxDeletes < 0 || maxDeletes > 2) {
      throw new RangeError("maxDeletes must be 0, 1 or 2");
    }
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
    forEachDeletion(text, this.maxDeletes, (key) => {
      const bucket = this.keys.get(key);
      if (bucket) for (const word of bucket) found.add(word);
    });
    return found;
  }
}

/**
 * Calls `visit` with `word` and each string made by deleting up to `depth` (≤ 2)
 * characters, deleting in increasing position order. A string may be visited twice
 * when the word repeats a letter; that is cheaper on the query path than a Set.
 */
export function forEachDeletion(word: string, depth: number, visit: (key: string) => void): void {
  visit(word);
  if (depth < 1) return;
  for (let i = 0; i < word.length; i++) {
    const once = word.slice(0, i) + word.slice(i + 1);
    visit(once);
    if (depth < 2) continue;
    for (let j = i; j < once.length; j++) visit(once.slice(0, j) + once.slice(j + 1));
  }
}

/** `word` and every string made by deleting up to `depth` (≤ 2) of its characters. */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>();
  forEachDeletion(word, depth, (key) => out.add(key));
  return out;
}
