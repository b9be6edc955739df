/** A hit of one pattern in a text: `end` is the index after its last character. */
export interface AhoCorasickHit {
  pattern: string;
  end: number;
}

/** Code units below this are mapped through a typed array; the rest through a Map. */
const FAST_CODES = 128;
/**
 * What most searches find, shared. Not frozen: V8 iterates a frozen array through its
 * generic iterator, which allocated on every search of the detector's hot loop.
 */
const NO_HITS: readonly AhoCorasickHit[] = [];

/**
 * Aho–Corasick automaton: finds every pattern occurring in a text in one pass, so
 * looking for thousands of brand names in a label costs the same as looking for one.
 *
 * Our own code, because it runs on every candidate label: the automaton is compiled to
 * a deterministic transition table over the patterns' own alphabet (failure links
 * folded in), so a search is one typed-array read per UTF-16 code unit and allocates
 * nothing when no brand occurs, which is almost always.
 */
export class AhoCorasick {
  /** Symbol of each code unit below FAST_CODES (0: occurs in no pattern). */
  private readonly fastSymbols = new Int32Array(FAST_CODES);
  private readonly slowSymbols = new Map<number, number>();
  /** Number of symbols, the row width of `delta` (symbol 0 included). */
  private readonly width: number;
  /**
   * delta[state × width + symbol]: the next state. Two bytes a transition while states
   * fit (5,395 outlets make about 61,000), half the cache lines a search touches.
   */
  private readonly delta: Uint16Array | Uint32Array;
  /** Patterns ending at state s, including through failure links: outIds[outStart[s] .. outStart[s + 1]). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  private readonly patterns: string[] = [];

  constructor(patterns: Iterable<string>) {
    const unique = [...new Set(patterns)].filter((p) => p !== "");
    this.patterns = unique;
    let width = 1;
    for (const pattern of unique) {
      for (let i = 0; i < pattern.length; i++) {
        const code = pattern.charCodeAt(i);
        if (this.symbolOf(code) !== 0) continue;
        if (code < FAST_CODES) this.fastSymbols[code] = width;
        else this.slowSymbols.set(code, width);
        width++;
      }
    }
    this.width = width;

    // The trie, as child maps; compiled into the table below.
    let children: Array<Map<number, number>> = [new Map()];
    let ends: number[][] = [[]];
    unique.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const symbol = this.symbolOf(pattern.charCodeAt(i));
        const node = children[state] as Map<number, number>;
        let next = node.get(symbol);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ends.push([]);
          node.set(symbol, next);
        }
        state = next;
      }
      (ends[state] as number[]).push(id);
    });

    // Numbered breadth first, the states near the root (where a search spends nearly all
    // its steps, as few labels go deep into a brand) share a few kilobytes of the table
    // instead of being spread over all of it, one cache miss a character.
    ({ children, ends } = breadthFirst(children, ends));
    const states = children.length;
    this.delta =
      states <= 0xffff ? new Uint16Array(states * width) : new Uint32Array(states * width);
    const fail = new Int32Array(states);
    const order: number[] = [];
    for (const [symbol, child] of children[0] as Map<number, number>) {
      this.delta[symbol] = child;
      order.push(child);
    }
    // Breadth first, so a state's failure target is complete before the state is.
    for (let head = 0; head < order.length; head++) {
      const state = order[head] as number;
      const f = fail[state] as number;
      (ends[state] as number[]).push(...(ends[f] as number[]));
      const row = state * width;
      const failRow = f * width;
      for (let symbol = 0; symbol < width; symbol++) {
        const child = (children[state] as Map<number, number>).get(symbol);
        if (child === undefined) {
          this.delta[row + symbol] = this.delta[failRow + symbol] as number;
        } else {
          this.delta[row + symbol] = child;
          fail[child] = this.delta[failRow + symbol] as number;
          order.push(child);
        }
      }
    }
    // Symbol 0 (a code unit no pattern has) always leads back to the root: delta is 0.

    this.outStart = new Int32Array(states + 1);
    let total = 0;
    ends.forEach((list, s) => {
      this.outStart[s] = total;
      total += list.length;
    });
    this.outStart[states] = total;
    this.outIds = new Int32Array(total);
    ends.forEach((list, s) => {
      this.outIds.set(list, this.outStart[s] as number);
    });
  }

  private symbolOf(code: number): number {
    return code < FAST_CODES
      ? (this.fastSymbols[code] as number)
      : (this.slowSymbols.get(code) ?? 0);
  }

  /** Number of states of the automaton (for sizing). */
  get states(): number {
    return this.delta.length / this.width;
  }

  /** Every occurrence of every pattern in `text`; `end` counts UTF-16 code units. */
  search(text: string): readonly AhoCorasickHit[] {
    let hits: AhoCorasickHit[] | undefined;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const symbol =
        code < FAST_CODES ? (this.fastSymbols[code] as number) : (this.slowSymbols.get(code) ?? 0);
      state = this.delta[state * this.width + symbol] as number;
      const end = this.outStart[state + 1] as number;
      for (let k = this.outStart[state] as number; k < end; k++) {
        hits ??= [];
        hits.push({ pattern: this.patterns[this.outIds[k] as number] as string, end: i + 1 });
      }
    }
    return hits ?? NO_HITS;
  }
}

/** The trie with its states renumbered in breadth-first order (the root stays 0). */
function breadthFirst(
  children: ReadonlyArray<Map<number, number>>,
  ends: readonly number[][],
): { children: Array<Map<number, number>>; ends: number[][] } {
  const order = [0];
  for (let head = 0; head < order.length; head++) {
    const symbols = [...(children[order[head] as number] as Map<number, number>)].sort(
      (a, b) => a[0] - b[0],
    );
    for (const [, child] of symbols) order.push(child);
  }
  const renamed = new Int32Array(children.length);
  order.forEach((old, next) => {
    renamed[old] = next;
  });
  return {
    children: order.map(
      (old) =>
        new Map(
          [...(children[old] as Map<number, number>)].map(([symbol, child]) => [
            symbol,
            renamed[child] as number,
          ]),
        ),
    ),
    ends: order.map((old) => ends[old] as number[]),
  };
}
