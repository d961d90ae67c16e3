// The hot set's bound (hotSeeds.ts): filled past HOT limit it keeps the most recently used torrents,
// destroys the least recently used, and adding a hot one again refreshes it instead of adding another.
import { afterEach, expect, it } from 'vitest';
import type { WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { HotSeeds } from '../../src/node/hotSeeds.ts';
import { nodeWebTorrent } from '../support/nodePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';

let client: WebTorrentLike | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => client?.destroy(() => resolve()));
});

it('keeps at most `limit` torrents, least recently used out', async () => {
  client = nodeWebTorrent();
  const net = makeTestNetwork();
  const txs = Array.from({ length: 5 }, (_, i) =>
    pay(net.owner, personNamed(`hot-${i}`), 10 + i, net.genesis.id),
  );
  const seeds = new HotSeeds(client, [], async () => null, 3);
  try {
    for (const tx of txs.slice(0, 3)) seeds.add(tx.id, tx.bytes);
    seeds.add(txs[0]!.id, txs[0]!.bytes); // used again: now the most recent
    expect(seeds.size).toBe(3);
    seeds.add(txs[3]!.id, txs[3]!.bytes);
    seeds.add(txs[4]!.id, txs[4]!.bytes);
    expect(seeds.size).toBe(3);
    expect(txs.map((t) => seeds.has(t.id))).toEqual([true, false, false, true, true]);
    // The evicted torrents are gone from the client too, not only from the set.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const active = client.torrents.map((t) => t.infoHash).sort();
    expect(active).toEqual([txs[0]!.id, txs[3]!.id, txs[4]!.id].sort());
  } finally {
    seeds.destroy();
  }
});
