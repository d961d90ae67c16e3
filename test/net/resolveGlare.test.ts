// Which of two connections to one peer a node keeps, on a real webtorrent torrent: connections stand in
// for simple-peer objects (what the tracker client hands to addPeer), so each case is exact.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { STALE_PENDING_MS, resolveGlare } from '../../src/net/resolveGlare.ts';
import { TxChunkStore, txTorrentFile } from '../../src/net/txTorrent.ts';
import type { WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { nodeWebTorrent } from '../support/nodePeer.ts';
import { makeTestNetwork } from '../support/testNetwork.ts';

const network = makeTestNetwork();

/** A simple-peer connection as webtorrent uses it: a duplex stream with an id, `connected`, `_pc`. */
class StandInConn extends PassThrough {
  connected = false;
  closeEmitted = false;
  readonly _pc = { connectionState: 'connecting', iceConnectionState: 'checking' };
  constructor(
    readonly id: string,
    readonly initiator: boolean,
  ) {
    super();
    this.once('close', () => (this.closeEmitted = true));
  }
}

/** A stream's 'close' event comes on a later tick than destroy(). */
const closed = (conn: StandInConn): Promise<void> =>
  conn.closeEmitted ? Promise.resolve() : new Promise((resolve) => conn.once('close', () => resolve()));

interface TorrentUnderTest {
  addPeer(peer: unknown): unknown;
  readonly _peers: Map<string, { conn: unknown }>;
}

let client: WebTorrentLike | undefined;
afterEach(() => new Promise<void>((resolve) => (client ? client.destroy(() => resolve()) : resolve())));

/** A real torrent wrapped by resolveGlare for a node whose peer id is `ownId`, on a hand-set clock. */
async function torrentOf(ownId: 'lower' | 'higher') {
  client = nodeWebTorrent();
  const torrent = client.add(txTorrentFile(network.genesis.bytes), {
    announce: [],
    preloadedStore: new TxChunkStore(network.genesis.bytes),
    skipVerify: true,
  });
  await new Promise<void>((resolve) => torrent.once('ready', () => resolve()));
  const clock = { now: 0 };
  const failures = { count: 0 };
  // Peer ids are hex: '0…' sorts below any real id, 'f…' above.
  const own = ownId === 'lower' ? '0'.repeat(40) : 'f'.repeat(40);
  resolveGlare(torrent, own, { onConnectionClosed: () => failures.count++ }, () => clock.now);
  return { torrent: torrent as unknown as TorrentUnderTest, clock, failures };
}

const PEER = 'a'.repeat(40);
const keptConn = (t: TorrentUnderTest): unknown => t._peers.get(PEER)?.conn;

describe('resolveGlare', () => {
  it('in glare, both sides keep the connection the lower peer id initiated', async () => {
    const lower = await torrentOf('lower'); // this node initiated `mine`; the peer initiated `theirs`
    const theirs = new StandInConn(PEER, false);
    const mine = new StandInConn(PEER, true);
    lower.torrent.addPeer(theirs);
    lower.torrent.addPeer(mine);
    expect(keptConn(lower.torrent)).toBe(mine);
    expect(theirs.destroyed).toBe(true);

    const higher = await torrentOf('higher');
    const theirs2 = new StandInConn(PEER, false);
    const mine2 = new StandInConn(PEER, true);
    higher.torrent.addPeer(theirs2);
    higher.torrent.addPeer(mine2); // the peer is lower: its connection stays
    expect(keptConn(higher.torrent)).toBe(theirs2);
    expect(mine2.destroyed).toBe(true);
  });

  it('a second fresh connection initiated by the same side is dropped as a duplicate', async () => {
    const { torrent, failures } = await torrentOf('higher');
    const first = new StandInConn(PEER, false);
    const second = new StandInConn(PEER, false);
    torrent.addPeer(first);
    torrent.addPeer(second);
    expect(keptConn(torrent)).toBe(first);
    expect(second.destroyed).toBe(true);
    await closed(second);
    expect(failures.count).toBe(0); // a dropped duplicate was never the node's connection
  });

  it('a pending connection whose peer connection closed gives way to a new one at once', async () => {
    const { torrent } = await torrentOf('higher');
    const zombie = new StandInConn(PEER, false);
    torrent.addPeer(zombie);
    zombie._pc.connectionState = 'closed'; // closed under it, with no event (node-datachannel)
    const fresh = new StandInConn(PEER, false);
    torrent.addPeer(fresh);
    expect(keptConn(torrent)).toBe(fresh);
    expect(zombie.destroyed).toBe(true);
  });

  it(`a connection pending for ${STALE_PENDING_MS} ms gives way; one pending for less does not`, async () => {
    const { torrent, clock } = await torrentOf('higher');
    const slow = new StandInConn(PEER, false);
    torrent.addPeer(slow);
    clock.now = STALE_PENDING_MS - 1;
    torrent.addPeer(new StandInConn(PEER, false));
    expect(keptConn(torrent)).toBe(slow);
    clock.now = STALE_PENDING_MS;
    const fresh = new StandInConn(PEER, false);
    torrent.addPeer(fresh);
    expect(keptConn(torrent)).toBe(fresh);
  });

  it('tells the node when a registered connection closes, not when a dropped duplicate does', async () => {
    const { torrent, failures } = await torrentOf('higher');
    const failing = new StandInConn(PEER, false);
    torrent.addPeer(failing);
    failing.destroy();
    await closed(failing);
    expect(failures.count).toBe(1);

    // simple-peer's failed negotiation: 'error' (and webtorrent then destroys the connection): once.
    const third = 'c'.repeat(40);
    const negotiationFailed = new StandInConn(third, true);
    torrent.addPeer(negotiationFailed);
    negotiationFailed.emit('error', new Error('Got a remote candidate without ICE transport'));
    await closed(negotiationFailed);
    expect(failures.count).toBe(2);
    expect(torrent._peers.has(third)).toBe(false);

    const other = 'b'.repeat(40);
    const working = new StandInConn(other, false);
    torrent.addPeer(working);
    working.connected = true;
    working.emit('connect');
    working.destroy();
    await closed(working);
    expect(failures.count).toBe(3);
  });
});
