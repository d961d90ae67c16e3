// The devnet's own full node keeps the network's history: A is paid and pays B (Node peers over real
// WebRTC), both leave, and a newcomer gets both payments from the devnet's node alone; a stock webtorrent
// client then fetches the payment's torrent by infohash from it, and the bytes hash to the id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { txIdOf } from '../../src/core/txId.ts';
import type { TorrentLike } from '../../src/net/webTorrentTypes.ts';
import { nodeWebTorrent, ownTrackerUrl, startNodePeer, type NodePeer } from '../support/nodePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { pay, personNamed, type TestNetwork } from '../support/testNetwork.ts';
import { useTestDevnets } from './useTestDevnets.ts';

const devnets = useTestDevnets();
const downloads = mkdtempSync(join(tmpdir(), 'torrenttx-devnet-fetch-'));
afterAll(() => rmSync(downloads, { recursive: true, force: true }));

it('a newcomer gets A→B from the devnet node alone, and fetches the payment by magnet', async () => {
  const devnet = await devnets.start({ node: true });
  const node = devnet.node!;
  const { devnet: d } = devnet;
  const net: TestNetwork = { params: d.params, genesis: d.genesis, owner: d.owner };
  const tracker = devnet.trackerUrls[0]!;
  const alice = personNamed('devnet-alice');
  const bob = personNamed('devnet-bob');
  const peers: NodePeer[] = [];
  try {
    const a = await startNodePeer(net, tracker);
    peers.push(a);
    const b = await startNodePeer(net, tracker);
    peers.push(b);
    const toAlice = pay(d.owner, alice, 1000, d.genesis.id, Date.now());
    const aliceToBob = pay(alice, bob, 300, toAlice.id, Date.now() + 1);
    await pollFor('A meets the devnet node', () => a.node.status().peers > 0, 90_000);
    await a.send(toAlice);
    await a.send(aliceToBob);
    for (const tx of [toAlice, aliceToBob]) {
      await pollFor(
        'B and the devnet node accept both',
        async () => {
          const [onB, onNode] = await Promise.all([b.store.getTx(tx.id), node.store.getTx(tx.id)]);
          return onB?.status === 'accepted' && onNode?.status === 'accepted';
        },
        90_000,
      );
    }
    await Promise.all(peers.splice(0).map((p) => p.close()));

    const c = await startNodePeer(net, tracker);
    peers.push(c);
    for (const tx of [toAlice, aliceToBob]) {
      await pollFor(
        'the newcomer syncs from the node',
        async () => (await c.store.getTx(tx.id))?.status === 'accepted',
        90_000,
      );
    }
    // 300 and whatever the payment's chance work minted (PROTOCOL §6): the value the ledger gave it.
    const paid = (await c.store.getTx(aliceToBob.id))!.value!;
    expect(paid >= 300n).toBe(true);
    expect(await c.store.getBalance(bob.address)).toBe(paid);

    // A client of its own tracker URL: bittorrent-tracker shares one socket per URL in a process, and the
    // devnet's node in this process already uses the devnet's (see ownTrackerUrl).
    const stock = nodeWebTorrent();
    try {
      const torrent = await new Promise<TorrentLike>((resolve) => {
        const t = stock.add(
          `magnet:?xt=urn:btih:${aliceToBob.id}&tr=${encodeURIComponent(ownTrackerUrl(tracker))}`,
          {
            store: undefined,
            ...({ path: downloads } as object),
          },
        );
        t.once('done', () => resolve(t));
      });
      const files = (torrent as unknown as { files: { path: string; arrayBuffer(): Promise<ArrayBuffer> }[] })
        .files;
      expect(files.map((f) => f.path)).toEqual([join('tx', 'tx.json')]);
      const bytes = new Uint8Array(await files[0]!.arrayBuffer());
      expect(txIdOf(bytes)).toBe(aliceToBob.id);
    } finally {
      await new Promise<void>((resolve) => stock.destroy(() => resolve()));
    }
  } finally {
    await Promise.all(peers.map((p) => p.close()));
  }
}, 300_000);
