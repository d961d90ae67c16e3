// A rogue in the network swarm: a plain webtorrent client (no NetworkNode, no guard) that joins the
// genesis torrent and speaks whatever `ut_ttx` extension a test hands it, to attack a node over real
// webtorrent wires on loopback.
import { resolveGlare } from '../../src/net/resolveGlare.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';
import { TxChunkStore, txTorrentFile } from '../../src/net/txTorrent.ts';
import type { WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { nodeWebTorrent, ownTrackerUrl, type NodeWebTorrentOptions } from './nodePeer.ts';
import type { TestNetwork } from './testNetwork.ts';

/** Joins the swarm of `network` through the tracker at `trackerUrl`, using `extension` on every wire. */
export function joinAsRogue(
  network: TestNetwork,
  trackerUrl: string,
  extension: new (wire: GossipWire) => object,
  clientOptions: NodeWebTorrentOptions = {},
): WebTorrentLike {
  const client = nodeWebTorrent(clientOptions);
  const torrent = client.add(txTorrentFile(network.genesis.bytes), {
    announce: [ownTrackerUrl(trackerUrl)],
    preloadedStore: new TxChunkStore(network.genesis.bytes),
    skipVerify: true,
  });
  resolveGlare(torrent, client.peerId);
  let wires = 0;
  torrent.on('wire', (wire) => {
    wires++;
    // A wire that closes (a connection that failed after the handshake) no longer counts.
    (wire as unknown as { once(event: 'close', listener: () => void): void }).once('close', () => wires--);
    (wire as unknown as { use(ext: unknown): void }).use(extension);
  });
  // Offers lost on a loaded machine are otherwise retried only at the tracker's interval (minutes):
  // while no wire is up, announce again with fresh offers every RETRY_MS.
  const retry = setInterval(() => {
    if (wires === 0) (torrent.discovery?.tracker as { update?(): void } | undefined)?.update?.();
  }, RETRY_MS);
  retries.set(client, retry);
  return client;
}

const RETRY_MS = 5000;
const retries = new WeakMap<WebTorrentLike, ReturnType<typeof setInterval>>();

/** Destroys the rogue's client. */
export function leave(client: WebTorrentLike): Promise<void> {
  clearInterval(retries.get(client));
  return new Promise<void>((resolve) => client.destroy(() => resolve()));
}
