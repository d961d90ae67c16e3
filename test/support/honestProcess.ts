// The tracker and the two honest nodes of an attack test, in a process of their own (forked by
// honestNodes.ts), so that the CPU the attack test measures in its own process is the victim's alone:
// every rogue that comes back with a fresh id meets the honest nodes and the tracker too, and their share
// of those reconnects is not the victim's. The parent drives them by messages: pay, watch for a payment,
// read a status, list the peers they banned.
import { txIdOf } from '../../src/core/txId.ts';
import type { EncodedTx } from '../../src/core/makeTx.ts';
import { storeWithAccepted, acceptedSetOf } from './acceptedSetPreload.ts';
import type { FromHonest, HonestName, ToHonest } from './honestNodes.ts';
import { startNodePeer, waitFor, type NodePeer } from './nodePeer.ts';
import { makeTestNetwork } from './testNetwork.ts';
import { startTestTracker, type TestTracker } from './tracker.ts';

const post = (message: FromHonest): void => void process.send!(message);
let tracker: TestTracker | undefined;
const nodes = new Map<HonestName, NodePeer>();

const node = (who: HonestName): NodePeer => nodes.get(who)!;
const accepted = async (peer: NodePeer, id: string): Promise<boolean> =>
  (await peer.store.getTx(id))?.status === 'accepted';

async function answer(message: Exclude<ToHonest, { type: 'start' }>): Promise<unknown> {
  switch (message.type) {
    case 'send': {
      const bytes = new Uint8Array(message.bytes);
      // NodePeer.send hands the bytes to the ledger; the parsed tx is not read.
      return node(message.who).send({ bytes, id: txIdOf(bytes) } as EncodedTx);
    }
    case 'acceptedAt': {
      const peer = node(message.who);
      await waitFor(`${message.who} to accept ${message.id}`, [peer], () => accepted(peer, message.id));
      return Date.now();
    }
    case 'misbehavingPeers':
      return [...node(message.who).misbehavingPeers];
    case 'close':
      await Promise.all([...nodes.values()].map((peer) => peer.close()));
      await tracker?.close();
      return undefined;
  }
}

process.on('message', (message: ToHonest) => {
  if (message.type === 'start') {
    void (async () => {
      const network = makeTestNetwork(message.tokens);
      tracker = await startTestTracker(0, { peersLeaveMidOffer: true });
      const preloaded =
        message.acceptedSet && acceptedSetOf(message.acceptedSet.size, message.acceptedSet.seed);
      for (const who of ['A', 'B'] as const) {
        const store = preloaded ? await storeWithAccepted(preloaded) : undefined;
        nodes.set(who, await startNodePeer(network, tracker.wsUrl, store ? { store } : {}));
      }
      post({ type: 'started', trackerUrl: tracker.wsUrl });
    })().catch((err: unknown) => post({ type: 'failed', message: String((err as Error).stack ?? err) }));
    return;
  }
  answer(message).then(
    (value) => post({ type: 'answer', rid: message.rid, value }),
    (err: unknown) => post({ type: 'answer', rid: message.rid, error: String((err as Error).stack ?? err) }),
  );
});
// The parent gone (closed, or its test process ended): nothing left to do.
process.on('disconnect', () => process.exit(0));
