// The graph view's query (src/ledger/ledgerGraph.ts) over a real core Ledger and the in-memory store:
// which transactions are within reach, the edges between them, a conflict linked to its winner, the
// missing parent of an orphan, and the bound on size.
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerGraph, shortAddress } from '../../src/ledger/ledgerGraph.ts';
import { makeConflictScenario, type ConflictScenario } from '../support/conflictScenario.ts';

let s: ConflictScenario;

beforeAll(async () => {
  s = await makeConflictScenario();
});

const sorted = (ids: string[]) => [...ids].sort();

describe('ledgerGraph', () => {
  it('reaches a conflict’s parent, its winning sibling and its child in one hop, with the conflict edge', async () => {
    const graph = await ledgerGraph(s.store, [s.toBob.id], 1, s.people.bob);
    expect(sorted(graph.nodes.map((n) => n.id))).toEqual(
      sorted([s.toBob.id, s.net.genesis.id, s.toAlice.id, s.bobSpends.id]),
    );
    expect(graph.truncated).toBe(false);
    const edge = (from: string, to: string, kind: string) => ({ from, to, kind });
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        edge(s.net.genesis.id, s.toBob.id, 'prev'),
        edge(s.net.genesis.id, s.toAlice.id, 'prev'),
        edge(s.toBob.id, s.bobSpends.id, 'prev'),
        edge(s.toAlice.id, s.toBob.id, 'conflict'),
      ]),
    );
    expect(graph.edges).toHaveLength(4);
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    expect(byId.get(s.toBob.id)).toMatchObject({
      status: 'conflict',
      isMine: true,
      tokens: 600_000,
      prev: s.net.genesis.id,
      fromShort: shortAddress(s.net.owner.address),
      toShort: shortAddress(s.people.bob.address),
    });
    expect(byId.get(s.bobSpends.id)).toMatchObject({
      status: 'invalid',
      reason: 'parent-rejected',
      isMine: true,
    });
    expect(byId.get(s.toAlice.id)!.isMine).toBe(false);
    expect(structuredClone(graph)).toEqual(graph);
  });

  it('grows hop by hop: a received payment, then its parent and child, then its siblings', async () => {
    const ids = async (radius: number) =>
      sorted((await ledgerGraph(s.store, [s.toAlice.id], radius)).nodes.map((n) => n.id));
    expect(await ids(0)).toEqual([s.toAlice.id]);
    expect(await ids(1)).toEqual(sorted([s.toAlice.id, s.net.genesis.id, s.aliceToCarol.id]));
    expect(await ids(2)).toEqual(sorted([s.toAlice.id, s.net.genesis.id, s.aliceToCarol.id, s.toBob.id]));
    // A radius past the bound is clamped, not followed: this ledger is small, so it simply shows it all.
    expect(await ids(1000)).toEqual(
      sorted([s.toAlice.id, s.net.genesis.id, s.aliceToCarol.id, s.toBob.id, s.bobSpends.id]),
    );
  });

  it('draws the parent an orphan waits for as a missing node', async () => {
    const graph = await ledgerGraph(s.store, [s.orphan.id], 2);
    expect(graph.nodes).toEqual([
      expect.objectContaining({ id: s.orphan.id, status: 'orphan', prev: s.unknownParent.id }),
      expect.objectContaining({ id: s.unknownParent.id, status: 'missing', arrival: null, tokens: null }),
    ]);
    expect(graph.edges).toEqual([{ from: s.unknownParent.id, to: s.orphan.id, kind: 'prev' }]);
  });

  it('stops at maxNodes, keeping the nearest first, and says so', async () => {
    const graph = await ledgerGraph(s.store, [s.net.genesis.id], 2, undefined, 2);
    expect(graph.nodes.map((n) => n.id)).toEqual([s.net.genesis.id, s.toAlice.id]);
    expect(graph.truncated).toBe(true);
    expect(graph.edges).toEqual([{ from: s.net.genesis.id, to: s.toAlice.id, kind: 'prev' }]);
  });

  it('skips ids it does not know and repeats none', async () => {
    const graph = await ledgerGraph(s.store, [s.unknownParent.id, s.toAlice.id, s.toAlice.id], 0);
    expect(graph.nodes.map((n) => n.id)).toEqual([s.toAlice.id]);
    expect((await ledgerGraph(s.store, [], 2)).nodes).toEqual([]);
  });
});
