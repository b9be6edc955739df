/** A hit of one pattern in a text: `end` is the index after its last character. */
export interface AhoCorasickHit {
  pattern: string;
  end: number;
}

interface Node {
  next: Map<string, number>;
  fail: number;
  /** Patterns ending here, including those reached through fail links. */
  out: string[];
}

/**
 * Aho–Corasick automaton: finds every pattern occurring in a text in one pass, so
 * looking for thousands of brand names in a label costs the same as looking for one.
 */
export class AhoCorasick {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];

  constructor(patterns: Iterable<string>) {
    for (const pattern of patterns) {
      if (pattern === "") continue;
      let state = 0;
      for (const ch of pattern) {
        const node = this.nodes[state] as Node;
        let nextState = node.next.get(ch);
        if (nextState === undefined) {
          nextState = this.nodes.length;
          this.nodes.push({ next: new Map(), fail: 0, out: [] });
          node.next.set(ch, nextState);
        }
        state = nextState;
      }
      const last = this.nodes[state] as Node;
      if (!last.out.includes(pattern)) last.out.push(pattern);
    }
    this.linkFailures();
  }

  private linkFailures(): void {
    const queue: number[] = [];
    for (const child of (this.nodes[0] as Node).next.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const node = this.nodes[state] as Node;
      for (const [ch, child] of node.next) {
        queue.push(child);
        let fail = node.fail;
        while (fail !== 0 && !(this.nodes[fail] as Node).next.has(ch)) {
          fail = (this.nodes[fail] as Node).fail;
        }
        const target = (this.nodes[fail] as Node).next.get(ch);
        const childNode = this.nodes[child] as Node;
        childNode.fail = target !== undefined && target !== child ? target : 0;
        childNode.out.push(...(this.nodes[childNode.fail] as Node).out);
      }
    }
  }

  /** Every occurrence of every pattern in `text`. */
  search(text: string): AhoCorasickHit[] {
    const hits: AhoCorasickHit[] = [];
    let state = 0;
    let index = 0;
    for (const ch of text) {
      index += ch.length;
      while (state !== 0 && !(this.nodes[state] as Node).next.has(ch)) {
        state = (this.nodes[state] as Node).fail;
      }
      state = (this.nodes[state] as Node).next.get(ch) ?? 0;
      for (const pattern of (this.nodes[state] as Node).out) hits.push({ pattern, end: index });
    }
    return hits;
  }
}
