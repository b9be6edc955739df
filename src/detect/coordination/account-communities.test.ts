import { describe, expect, it } from "vitest";
import { type AccountEdges, accountCommunities } from "./account-communities.js";
import { seededRandom } from "./coordination-features.js";

type Edge = [number, number, number];

function edgeList(edges: readonly Edge[]): AccountEdges {
  return {
    forEach: (visit) => {
      for (const [a, b, w] of edges) visit(a, b, w);
    },
  };
}

/** Every pair of `accounts` linked, with weights from 1 to 9 as uneven as real ones are. */
function clique(accounts: readonly number[], seed: number): Edge[] {
  const random = seededRandom(seed);
  const out: Edge[] = [];
  for (let x = 0; x < accounts.length; x++)
    for (let y = x + 1; y < accounts.length; y++)
      out.push([accounts[x] as number, accounts[y] as number, 1 + 8 * random()]);
  return out;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("accountCommunities", () => {
  it("keeps a network where every account is linked to every other whole, whatever the weights", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const edges = edgeList(clique(range(100, 10), seed));
      for (const louvainSeed of [1, 7, 42])
        expect(accountCommunities(edges, louvainSeed)).toEqual([range(100, 10)]);
    }
  });

  it("keeps two dense groups joined by a single link apart", () => {
    const edges = [...clique(range(0, 10), 1), ...clique(range(10, 10), 2), [9, 10, 5] as Edge];
    expect(accountCommunities(edgeList(edges), 1)).toEqual([range(0, 10), range(10, 10)]);
    const small = [...clique(range(0, 5), 3), ...clique(range(5, 5), 4), [0, 9, 1] as Edge];
    expect(accountCommunities(edgeList(small), 1)).toEqual([range(0, 5), range(5, 5)]);
  });

  it("splits a component the same way whatever else is in the network, and repeatably", () => {
    const network = clique(range(0, 10), 6);
    const alone = accountCommunities(edgeList(network), 3);
    const others: Edge[] = [
      ...clique(range(50, 6), 7),
      ...clique(range(56, 6), 8),
      [50, 56, 2],
      [70, 71, 4],
    ];
    const together = accountCommunities(edgeList([...others, ...network]), 3);
    expect(together).toContainEqual(alone[0]);
    expect(together).toEqual([range(0, 10), range(50, 6), range(56, 6), [70, 71]]);
    expect(accountCommunities(edgeList([...others, ...network]), 3)).toEqual(together);
  });

  it("returns no community for no edges, and takes a pair given twice as one edge", () => {
    expect(accountCommunities(edgeList([]), 1)).toEqual([]);
    const twice = [...clique(range(0, 4), 9), [1, 0, 2] as Edge];
    expect(accountCommunities(edgeList(twice), 1)).toEqual([range(0, 4)]);
  });
});
