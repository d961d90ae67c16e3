// Gossip v2 between real Node nodes (webtorrent over node-datachannel WebRTC, a real tracker on loopback):
// a new node catches up with a node holding thousands of transactions by set reconciliation and paced
// requests, and nobody is dropped for serving what was asked; a node that missed one transaction learns
// it on reconnect for a few KB, not a whole inventory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dagNetwork, storeHolding } from '../support/dagNetwork.ts';
import { startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const SIZE = 3000;
const { network, txs } = dagNetwork(SIZE);
let tracker: TestTracker;
let server: NodePeer;
const started: NodePeer[] = [];

async function join(store?: Awaited<ReturnType<typeof storeHolding>>): Promise<NodePeer> {
  const peer = await startNodePeer(network, tracker.wsUrl, store ? { store } : {});
  started.push(peer);
  return peer;
}

function acceptedCount(peer: NodePeer): number {
  return peer.store.all().filter((r) => r.status === 'accepted').length;
}

function totalBytes(traffic: Record<string, number>): number {
  return Object.values(traffic).reduce((sum, n) => sum + n, 0);
}

beforeAll(async () => {
  tracker = await startTestTracker();
  server = await startNodePeer(network, tracker.wsUrl, { store: await storeHolding(network, txs) });
}, 120_000);

afterAll(async () => {
  for (const peer of started) await peer.close();
  await server?.close();
  await tracker?.close();
});

describe('gossip v2 sync', () => {
  it(`a new node accepts all ${SIZE} transactions of a peer and drops no one`, async () => {
    const fresh = await join();
    await waitFor('the new node to accept everything', [fresh], () => acceptedCount(fresh) === SIZE);
    expect(fresh.misbehaviour).toEqual([]);
    expect(server.misbehaviour).toEqual([]);
    const { sent, received } = fresh.node.gossip.traffic;
    const ledgerBytes = txs.reduce((sum, bytes) => sum + bytes.length, 0);
    // Every transaction came once (plus the 21-byte frame header), and asking cost ids, not bytes.
    expect(received.tx).toBeLessThanOrEqual((ledgerBytes + 21 * SIZE) * 1.05);
    expect(totalBytes(sent) + totalBytes(received)).toBeLessThan(ledgerBytes * 1.5);
    // No id was asked twice: a WANT frame costs 1 + 20 bytes per id, so at most 21 bytes an id.
    expect(sent.want).toBeLessThanOrEqual(21 * (SIZE - 1));
  }, 120_000);

  it('a node that missed one transaction of thousands learns it on connect for a few KB', async () => {
    const missing = txs.length - 1;
    const behind = await join(await storeHolding(network, txs.slice(0, missing)));
    await waitFor('the missing transaction', [behind], () => acceptedCount(behind) === SIZE);
    const { sent, received } = behind.node.gossip.traffic;
    const both = totalBytes(sent) + totalBytes(received);
    console.log(`reconnect after missing 1 of ${SIZE}: ${both} bytes both ways`, { sent, received });
    expect(both).toBeLessThan(16 * 1024);
    expect(received.tx).toBe(21 + txs[missing]!.length);
    expect(behind.misbehaviour).toEqual([]);
  }, 90_000);
});
