// A TorrentTX node in Node for network tests: the real NetworkNode and gossip over webtorrent's Node
// package (WebRTC through node-datachannel), a core Ledger on the in-memory store, a real tracker.
import '../../src/node/nodeWebRtcEndOfCandidates.ts';
import WebTorrent from 'webtorrent';
import { Ledger } from '../../src/core/ledger.ts';
import type { EncodedTx } from '../../src/core/makeTx.ts';
import { gossipLedgerOf } from '../../src/ledger/gossipLedgerOf.ts';
import { NetworkNode } from '../../src/net/networkNode.ts';
import type { RTCConfigurationLike, WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import type { TestNetwork } from './testNetwork.ts';

export interface NodePeer {
  readonly store: MemoryLedgerStore;
  readonly ledger: Ledger;
  readonly node: NetworkNode;
  readonly misbehaviour: string[];
  /** Receives locally (as the wallet would) and publishes what was accepted. */
  send(tx: EncodedTx): Promise<void>;
  close(): Promise<void>;
}

export function nodeWebTorrent(): WebTorrentLike {
  return new WebTorrent({
    dht: false,
    lsd: false,
    utp: false,
    webSeeds: false,
    natUpnp: false,
    natPmp: false,
    // bindAddress (node-datachannel) keeps ICE on loopback, as every network test must.
    tracker: { rtcConfig: { iceServers: [], bindAddress: '127.0.0.1' } as RTCConfigurationLike },
  });
}

let nodeCount = 0;

/**
 * bittorrent-tracker pools WebSocket connections per announce URL for the whole process, and the tracker
 * knows one peer per socket. Real nodes each have their own process or worker; Node peers sharing a test
 * process get a URL of their own (the tracker ignores the path) so that each keeps a socket of its own.
 */
export function ownTrackerUrl(trackerUrl: string): string {
  return `${trackerUrl}/?node=${++nodeCount}`;
}

export async function startNodePeer(network: TestNetwork, sharedTrackerUrl: string): Promise<NodePeer> {
  const trackerUrl = ownTrackerUrl(sharedTrackerUrl);
  const store = new MemoryLedgerStore();
  const ledger = new Ledger(store, network.params);
  await ledger.receive([network.genesis.bytes], Date.now());
  const client = nodeWebTorrent();
  const errors: unknown[] = [];
  client.on('error', (err) => errors.push(err));
  const misbehaviour: string[] = [];
  const node = new NetworkNode(
    client,
    { genesisId: network.genesis.id, genesisTx: network.genesis.bytes, trackers: [trackerUrl] },
    gossipLedgerOf(ledger, store, () => Date.now()),
    { onMisbehaviour: (_peer, problem) => misbehaviour.push(problem) },
  );
  await node.start();
  return {
    store,
    ledger,
    node,
    misbehaviour,
    async send(tx) {
      const { decided } = await ledger.receive([tx.bytes], Date.now());
      const accepted = decided
        .filter((r) => r.status === 'accepted')
        .map((r) => ({ id: r.id, bytes: r.bytes! }));
      node.publish(accepted);
    },
    async close() {
      await node.destroy();
      if (errors.length > 0) throw new Error(`webtorrent errors: ${errors.map(String).join('; ')}`);
    },
  };
}

/** Polls `check` until it returns true, or fails after `ms`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 15000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
