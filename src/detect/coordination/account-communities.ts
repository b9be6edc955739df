import { UndirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";
import { seededRandom } from "./coordination-features.js";
import { MAX_PAIR_ACCOUNTS } from "./pair-table.js";

// The package is CommonJS: Node's default import is the function itself, while its types
// describe an ES module whose default it is.
const louvain = louvainModule as unknown as (
  graph: UndirectedGraph,
  options: { getEdgeWeight: string; rng: () => number },
) => Record<string, number>;

/**
 * Two Louvain communities of one component are merged when the share of their cross pairs
 * that are linked is at least this times the share of linked pairs inside each of them.
 *
 * Why: Louvain maximises modularity, which scores a split against a null model that spreads
 * the component's own edges at random. In a component where nearly every pair is linked (a
 * network run by one operator), that null model expects about as many edges between any
 * two parts as there are, so one community scores 0 and the noise of the edge weights
 * decides a split that is not there. Link density does not depend on that null model: a
 * split stands only where its parts are linked to each other at less than half the rate at
 * which each is linked inside, the boundary of two groups rather than of one group's
 * busier and quieter members. Presence, not weight, counts here: every edge has already
 * beaten the time-shuffled null model, and weights mostly say how active a pair was.
 */
export const MERGE_DENSITY_RATIO = 0.5;

/**
 * Rounds of merging per component. Each round costs time linear in the component's edges
 * and merges each community at most once; merging a component's k communities into one
 * takes about log₂ k rounds, so this bounds a pathological cascade (one community taking
 * the others one per round) to linear time rather than quadratic.
 */
export const MAX_MERGE_ROUNDS = 64;

/** Components smaller than this are one community: Louvain has nothing to split. */
const MIN_SPLIT_NODES = 3;
/** Node numbers are below this (as in `PairTable`), so a pair packs into one safe integer. */
const PAIR_KEY_BASE = MAX_PAIR_ACCOUNTS;

/** Edges of the account network, as a `PairTable` gives them. */
export interface AccountEdges {
  forEach(visit: (a: number, b: number, weight: number) => void): void;
}

/**
 * Communities of an account network: Louvain (weighted, seeded) on each connected
 * component on its own, then any two communities of a component merged while their mutual
 * link density is close to their internal density (see `MERGE_DENSITY_RATIO`). A dense
 * group stays whole however its edge weights vary; groups joined by a few edges stay apart.
 * Each component is split with the same seed, so a component's communities do not depend on
 * what else is in the network. Near-linear in the edges.
 *
 * @returns communities as sorted account numbers, ordered by their smallest account;
 *   accounts without edges are in none.
 * @example
 * accountCommunities(pairTable, 1); // [[3, 4, 9], [5, 7, 8]]
 */
export function accountCommunities(edges: AccountEdges, seed: number): number[][] {
  const index = new Map<number, number>();
  const nodes: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const node = (a: number) => {
    let i = index.get(a);
    if (i === undefined) {
      i = nodes.length;
      index.set(a, i);
      nodes.push(a);
    }
    return i;
  };
  // A pair given twice is one edge with the weights added, as a `PairTable` keeps it.
  const edgeOf = new Map<number, number>();
  edges.forEach((a, b, w) => {
    if (a === b) return;
    const x = node(a);
    const y = node(b);
    const key = Math.min(x, y) * PAIR_KEY_BASE + Math.max(x, y);
    const e = edgeOf.get(key);
    if (e !== undefined) {
      weight[e] = (weight[e] as number) + w;
      return;
    }
    edgeOf.set(key, from.length);
    from.push(x);
    to.push(y);
    weight.push(w);
  });

  // Connected components (union-find), each with its edges.
  const parent = Int32Array.from(nodes, (_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[i] !== r) {
      const next = parent[i] as number;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  for (let e = 0; e < from.length; e++) {
    const x = find(from[e] as number);
    const y = find(to[e] as number);
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < nodes.length; i++) {
    const r = find(i);
    const list = members.get(r);
    if (list) list.push(i);
    else members.set(r, [i]);
  }
  const edgesOf = new Map<number, number[]>();
  for (let e = 0; e < from.length; e++) {
    const r = find(from[e] as number);
    const list = edgesOf.get(r);
    if (list) list.push(e);
    else edgesOf.set(r, [e]);
  }

  // Community numbers per node; each component numbers its own from 0.
  const label = new Int32Array(nodes.length);
  const out: number[][] = [];
  for (const [root, component] of members) {
    if (component.length < MIN_SPLIT_NODES) {
      out.push(component.map((i) => nodes[i] as number));
      continue;
    }
    const componentEdges = edgesOf.get(root) ?? [];
    const graph = new UndirectedGraph();
    for (const i of component) graph.addNode(String(i));
    for (const e of componentEdges)
      graph.addEdge(String(from[e]), String(to[e]), { weight: weight[e] as number });
    const membership = louvain(graph, { getEdgeWeight: "weight", rng: seededRandom(seed) });
    const dense = new Map<number, number>();
    for (const i of component) {
      const c = membership[String(i)] as number;
      let l = dense.get(c);
      if (l === undefined) {
        l = dense.size;
        dense.set(c, l);
      }
      label[i] = l;
    }
    mergeDenseCommunities(component, componentEdges, from, to, label);
    const byLabel = new Map<number, number[]>();
    for (const i of component) {
      const l = label[i] as number;
      const list = byLabel.get(l);
      if (list) list.push(nodes[i] as number);
      else byLabel.set(l, [nodes[i] as number]);
    }
    out.push(...byLabel.values());
  }
  for (const community of out) community.sort((x, y) => x - y);
  return out.sort((x, y) => (x[0] as number) - (y[0] as number));
}

/**
 * Merges, in rounds, pairs of communities (`label`, indexed by node, updated in place;
 * labels below `component.length`) whose mutual link density is at least
 * `MERGE_DENSITY_RATIO` times each one's internal density: the closest pairs first, each
 * community at most once a round, until none qualifies.
 */
function mergeDenseCommunities(
  component: readonly number[],
  componentEdges: readonly number[],
  from: readonly number[],
  to: readonly number[],
  label: Int32Array,
): void {
  const k = component.length;
  const size = new Int32Array(k);
  const internal = new Int32Array(k);
  const into = new Int32Array(k);
  for (let round = 0; round < MAX_MERGE_ROUNDS; round++) {
    size.fill(0);
    internal.fill(0);
    let labels = 0;
    for (const i of component) {
      const l = label[i] as number;
      if (size[l] === 0) labels++;
      size[l] = (size[l] as number) + 1;
    }
    if (labels < 2) return;
    const between = new Map<number, number>();
    for (const e of componentEdges) {
      const p = label[from[e] as number] as number;
      const q = label[to[e] as number] as number;
      if (p === q) internal[p] = (internal[p] as number) + 1;
      else {
        const key = Math.min(p, q) * k + Math.max(p, q);
        between.set(key, (between.get(key) ?? 0) + 1);
      }
    }
    // A single account has no inner pairs: its density is 0, so it joins a community when
    // it is linked to enough of that community's members.
    const density = (l: number) => {
      const n = size[l] as number;
      return n < 2 ? 0 : (internal[l] as number) / ((n * (n - 1)) / 2);
    };
    const candidates: Array<{ x: number; y: number; closeness: number }> = [];
    for (const [key, edges] of between) {
      const x = Math.floor(key / k);
      const y = key % k;
      const mutual = edges / ((size[x] as number) * (size[y] as number));
      const inside = Math.max(density(x), density(y));
      if (mutual >= MERGE_DENSITY_RATIO * inside)
        candidates.push({ x, y, closeness: inside === 0 ? 1 : mutual / inside });
    }
    if (candidates.length === 0) return;
    candidates.sort((a, b) => b.closeness - a.closeness || a.x - b.x || a.y - b.y);
    into.fill(-1);
    for (const { x, y } of candidates) {
      if (into[x] !== -1 || into[y] !== -1) continue;
      into[x] = x;
      into[y] = x;
    }
    for (const i of component) {
      const target = into[label[i] as number] as number;
      if (target !== -1) label[i] = target;
    }
  }
}
