// A tracker restart, for real: Node nodes (webtorrent over node-datachannel) announced to the devnet's
// tracker on loopback; the tracker is closed (every socket cut) and started again on the same port. The
// existing node must be back on it within seconds, so a newcomer finds it; bittorrent-tracker alone would
// wait 10 s × 2^retries plus up to 5 min. Also the backoff's bounds.
import type { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracker, type Tracker } from '../../server/trackerServer.ts';
import {
  RECONNECT_BASE_MS,
  RECONNECT_CAP_MS,
  RECONNECT_JITTER,
  reconnectDelayMs,
} from '../../src/net/trackerReconnect.ts';
import { makeTempDir, type TempDir } from '../server/tempDir.ts';
import { startNodePeer, type NodePeer } from '../support/nodePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { makeTestNetwork } from '../support/testNetwork.ts';

const network = makeTestNetwork();
const peers: NodePeer[] = [];
let tracker: Tracker | undefined;
let data: TempDir | undefined;

afterEach(async () => {
  for (const peer of peers.splice(0)) await peer.close();
  await tracker?.close();
  await data?.remove();
});

const trackerOn = async (port: number): Promise<Tracker> =>
  (tracker = await startTracker({ host: '127.0.0.1', port, dataDir: data!.path, log: () => {} }));

const announceOf = (peer: NodePeer): string | undefined => peer.node.status().announce[0]?.announce.state;

/** Node A announced to a tracker, which then closes: A and the port to start the tracker on again. */
async function nodeWhoseTrackerClosed(): Promise<{ a: NodePeer; port: number }> {
  data = await makeTempDir();
  const first = await trackerOn(0);
  const a = await startNodePeer(network, first.wsUrl);
  peers.push(a);
  await pollFor('A to be announced', () => announceOf(a) === 'announced');
  await first.close();
  return { a, port: first.port };
}

/** Resolves when the tracker hands A a WebRTC peer (an offer from someone, or an answer to A's own). */
function introducedToA(a: NodePeer): Promise<void> {
  // The node's swarm torrent is private to NetworkNode: its discovery is where webtorrent hears of peers.
  const { discovery } = (a.node as unknown as { swarm: { discovery: EventEmitter } }).swarm;
  return new Promise((resolve) => discovery.once('peer', () => resolve()));
}

/**
 * Starts the tracker again on `port`, then a newcomer. Within 10 s of the tracker's return A must be
 * announced again, introduced to the newcomer by the tracker (bittorrent-tracker alone waits ≥ 10 s,
 * usually minutes), and connected to it as a gossip peer. The times are printed.
 */
async function newcomerFinds(a: NodePeer, port: number, what: string): Promise<void> {
  const introduced = introducedToA(a);
  await trackerOn(port);
  const back = performance.now();
  const b = await startNodePeer(network, tracker!.wsUrl);
  peers.push(b);
  await pollFor('A to be announced again', () => announceOf(a) === 'announced', 10_000);
  const reannounced = performance.now() - back;
  await Promise.race([
    introduced,
    new Promise((_, reject) => setTimeout(reject, 10_000, new Error('A was not introduced to B'))),
  ]);
  const intro = performance.now() - back;
  expect(b.node.status().announce).toEqual([
    { url: expect.stringContaining(`:${port}`), announce: { state: 'announced' } },
  ]);
  // A first WebRTC attempt on loopback sometimes fails on a loaded machine (libdatachannel: "Got a remote
  // candidate without ICE transport"); the node then asks the tracker again within 2 s and the other
  // side lets go of its dead end (resolveGlare.ts), so the two still meet within 10 s.
  await pollFor('A and B to meet', () => a.node.status().peers > 0 && b.node.status().peers > 0, 10_000);
  const met = `met as gossip peers ${s(performance.now() - back)}`;
  console.log(
    `${what}: A re-announced ${s(reannounced)}, introduced to a newcomer ${s(intro)}, ${met} after the tracker was back`,
  );
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

describe('reconnect after a tracker restart', () => {
  it('waits min(cap, base × 2^n), less up to the jitter share, never more than the cap', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** attempt);
      expect(reconnectDelayMs(attempt, 0)).toBe(ceiling);
      expect(reconnectDelayMs(attempt, 0.999999)).toBeGreaterThanOrEqual(
        Math.floor(ceiling * (1 - RECONNECT_JITTER)),
      );
    }
    expect(reconnectDelayMs(0, 0.5)).toBe(750);
    expect(reconnectDelayMs(3, 0)).toBe(RECONNECT_CAP_MS); // 5 s: reached at the fourth attempt
    expect(reconnectDelayMs(1000, 0)).toBe(RECONNECT_CAP_MS);
  });

  it('re-announces within seconds of the tracker coming back: the tracker introduces a newcomer', async () => {
    const { a, port } = await nodeWhoseTrackerClosed();
    await pollFor('A to notice the tracker is gone', () => announceOf(a) === 'retrying');
    const retry = a.node.status().announce[0]!.announce;
    expect(retry.state === 'retrying' && retry.inMs <= RECONNECT_CAP_MS).toBe(true);
    await newcomerFinds(a, port, 'tracker restart');
  }, 60_000);

  it('after a longer outage (backoff at its cap), the node is still back within 10 s', async () => {
    const { a, port } = await nodeWhoseTrackerClosed();
    // Attempt number → the wait planned for it, as first seen (polling may miss none or a few).
    const waits = new Map<number, number>();
    await pollFor(
      'A to fail four attempts',
      () => {
        const s = a.node.status().announce[0]!.announce;
        if (s.state === 'retrying' && !waits.has(s.attempt)) waits.set(s.attempt, s.inMs);
        return s.state === 'retrying' && s.attempt >= 5;
      },
      40_000,
    );
    // Each planned wait is within the bound for its attempt, and the last ones are at the cap.
    for (const [attempt, ms] of waits) expect(ms).toBeLessThanOrEqual(reconnectDelayMs(attempt - 1, 0));
    expect(waits.get(5)).toBeGreaterThan(RECONNECT_CAP_MS * (1 - RECONNECT_JITTER) - 100);
    await newcomerFinds(a, port, 'tracker back after a long outage');
  }, 90_000);
});
