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
  const seeds = new HotSeeds(client, [], async () => null, { hot: 3 });
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

it('answers cold ids on demand within its own bound and rate, and refuses past them', async () => {
  client = nodeWebTorrent();
  const net = makeTestNetwork();
  const txs = Array.from({ length: 5 }, (_, i) =>
    pay(net.owner, personNamed(`cold-${i}`), 10 + i, net.genesis.id),
  );
  const stored = new Map(txs.map((t) => [t.id, t.bytes]));
  const seeds = new HotSeeds(client, [], async (id) => stored.get(id) ?? null, {
    hot: 1,
    onDemand: 2,
    onDemandBurst: 3,
    onDemandPerSecond: 0.001,
  });
  seeds.answerOnDemand();
  const get = (id: string): Promise<unknown> =>
    (client as unknown as { get(id: string): Promise<unknown> }).get(id);
  try {
    seeds.add(txs[0]!.id, txs[0]!.bytes);
    expect(await get('00'.repeat(20))).toBeNull(); // not stored: refused, and costs a token
    for (const tx of txs.slice(1, 3)) expect(await get(tx.id)).not.toBeNull();
    expect(seeds.onDemandSize).toBe(2);
    expect(await get(txs[3]!.id)).toBeNull(); // the burst is spent: refused
    expect(await get(txs[1]!.id)).not.toBeNull(); // one already answered costs nothing
    expect(seeds.size).toBe(1);
    expect(seeds.onDemandSize).toBe(2);
    // Made hot, an on-demand one moves over (one torrent per id in the client).
    seeds.add(txs[2]!.id, txs[2]!.bytes);
    expect([seeds.size, seeds.onDemandSize]).toEqual([1, 1]);
    expect(client.torrents.length).toBe(2);
  } finally {
    seeds.destroy();
  }
});
