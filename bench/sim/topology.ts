// The simulated network's shape: a random graph in which every node keeps between `minDegree` and
// `maxDegree` gossip peers (what a tab keeps, issue 18: ~8–12), as peers met through a tracker's random
// answers would give, with a one-way latency drawn for each link. Deterministic for a given random source.

export interface Edge {
  readonly a: number;
  readonly b: number;
  readonly latencyMs: number;
}

export interface TopologyOptions {
  readonly nodes: number;
  readonly minDegree: number;
  readonly maxDegree: number;
  readonly latencyMinMs: number;
  readonly latencyMaxMs: number;
}

export class TopologyError extends Error {
  override readonly name = 'TopologyError';
}

export function randomTopology(options: TopologyOptions, random: () => number): Edge[] {
  const { nodes, minDegree, maxDegree } = options;
  if (nodes < 2) throw new TopologyError(`a network needs at least 2 nodes, got ${nodes}`);
  if (minDegree < 1 || maxDegree < minDegree) {
    throw new TopologyError(`degrees must satisfy 1 ≤ min ≤ max, got ${minDegree}–${maxDegree}`);
  }
  const neighbours: Set<number>[] = Array.from({ length: nodes }, () => new Set<number>());
  const edges: Edge[] = [];
  const link = (a: number, b: number) => {
    neighbours[a]!.add(b);
    neighbours[b]!.add(a);
    const span = options.latencyMaxMs - options.latencyMinMs;
    edges.push({ a, b, latencyMs: options.latencyMinMs + random() * span });
  };
  const want = Math.min(minDegree, nodes - 1);
  const cap = Math.min(maxDegree, nodes - 1);
  // Each node in turn dials random peers that still take connections until it has `minDegree`, as a
  // joining tab dials the peers a tracker offers and a full peer refuses.
  for (const u of shuffled(nodes, random)) {
    for (let tries = 0; neighbours[u]!.size < want && tries < 50 * nodes; tries++) {
      const v = Math.floor(random() * nodes);
      if (v === u || neighbours[u]!.has(v) || neighbours[v]!.size >= cap) continue;
      link(u, v);
    }
  }
  const reached = hopsFrom(0, neighbours).filter((hops) => hops >= 0).length;
  if (reached < nodes)
    throw new TopologyError(`the random graph is split: node 0 reaches ${reached} of ${nodes}`);
  return edges;
}

/** Neighbour sets of a graph given as edges. */
export function neighboursOf(nodes: number, edges: readonly Edge[]): Set<number>[] {
  const neighbours: Set<number>[] = Array.from({ length: nodes }, () => new Set<number>());
  for (const { a, b } of edges) {
    neighbours[a]!.add(b);
    neighbours[b]!.add(a);
  }
  return neighbours;
}

/** Hops from `source` to every node (breadth first); -1 where it cannot be reached. */
export function hopsFrom(source: number, neighbours: readonly Set<number>[]): number[] {
  const hops = neighbours.map(() => -1);
  hops[source] = 0;
  const queue = [source];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!;
    for (const v of neighbours[u]!) {
      if (hops[v] !== -1) continue;
      hops[v] = hops[u]! + 1;
      queue.push(v);
    }
  }
  return hops;
}

function shuffled(count: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
