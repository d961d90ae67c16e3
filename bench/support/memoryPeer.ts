// The serving peer of `npm run bench:sync`'s join, also run by `npm run bench:node` as the yardstick for
// the full node: a NetworkNode + Ledger on the in-memory store, in the bench's own process, holding the
// whole generated DAG, on one tracker. It counts every byte its wires carry and every peer it drops.
import { Ledger } from '../../src/core/ledger.ts';
import { gossipLedgerOf } from '../../src/ledger/gossipLedgerOf.ts';
import { NetworkNode } from '../../src/net/networkNode.ts';
import { nodeStrictVerifier } from '../../src/node/nativeEd25519Verifier.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { nodeWebTorrent, ownTrackerUrl } from '../../test/support/nodePeer.ts';
import type { GeneratedDag } from '../generateDag.ts';
import { countWires, type WireCounts } from './wireCounter.ts';

export interface MemoryPeer {
  /** Every byte the peer's wires send and receive (the BitTorrent handshake, gossip frames, everything). */
  readonly wires: WireCounts;
  /** Problems the peer dropped peers for. */
  readonly peerDrops: readonly string[];
  destroy(): Promise<void>;
}

/** Loads the DAG into a memory ledger (1,000 a batch) and, unless `online` is false, joins the swarm. */
export async function startMemoryPeer(
  dag: GeneratedDag,
  trackerWsUrl: string,
  online = true,
): Promise<MemoryPeer> {
  const store = new MemoryLedgerStore();
  const ledger = new Ledger(
    store,
    { genesisId: dag.genesisId, powUnit: 1n },
    { verify: nodeStrictVerifier() },
  );
  if (online) {
    for (let i = 0; i < dag.txs.length; i += 1000)
      await ledger.receive(dag.txs.slice(i, i + 1000), Date.now());
  }
  const client = nodeWebTorrent();
  const wires = countWires(client);
  const peerDrops: string[] = [];
  const peer = new NetworkNode(
    client,
    { genesisId: dag.genesisId, genesisTx: dag.txs[0]!, trackers: [ownTrackerUrl(trackerWsUrl)] },
    gossipLedgerOf(ledger, store, () => Date.now()),
    { onMisbehaviour: (_peer, problem) => peerDrops.push(problem) },
    // As the always-on node does (src/node/openFullNode.ts).
    { preloadInventory: true },
  );
  if (online) await peer.start();
  return { wires, peerDrops, destroy: () => peer.destroy() };
}
