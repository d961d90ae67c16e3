// A tracker restart, for real: Node nodes (webtorrent over node-datachannel) announced to the devnet's
// tracker on loopback; the tracker is closed (every socket cut) and started again on the same port. The
// existing node must be back on it within seconds, so a newcomer finds it; bittorrent-tracker alone would
// wait 10 s × 2^retries plus up to 5 min. Also the backoff's bounds.
import { afterEach, describe, expect, it } from 'vitest';
import { startTracker, type Tracker } from '../../server/trackerServer.ts';
import {
  RECONNECT_BASE_MS,
  RECONNECT_CAP_MS,
  RECONNECT_JITTER,
  reconnectDelayMs,
} from '../../src/net/trackerReconnect.ts';
import { makeTempDir, type TempDir } from '../server/tempDir.ts';
import { startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
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
  await waitFor('A to be announced', () => announceOf(a) === 'announced');
  await first.close();
  return { a, port: first.port };
}

/** Starts the tracker again on `port` and a newcomer; ms from the tracker being back to A and B meeting. */
async function newcomerFinds(a: NodePeer, port: number): Promise<number> {
  await trackerOn(port);
  const back = performance.now();
  const b = await startNodePeer(network, tracker!.wsUrl);
  peers.push(b);
  await waitFor(
    'the newcomer to find A',
    () => b.node.status().peers > 0 && a.node.status().peers > 0,
    10_000,
  );
  expect(b.node.status().announce).toEqual([
    { url: expect.stringContaining(`:${port}`), announce: { state: 'announced' } },
  ]);
  return performance.now() - back;
}

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

  it('re-announces within seconds of the tracker coming back: a newcomer finds the node', async () => {
    const { a, port } = await nodeWhoseTrackerClosed();
    await waitFor('A to notice the tracker is gone', () => announceOf(a) === 'retrying');
    const retry = a.node.status().announce[0]!.announce;
    expect(retry.state === 'retrying' && retry.inMs <= RECONNECT_CAP_MS).toBe(true);
    const found = await newcomerFinds(a, port);
    console.log(
      `tracker restart: a newcomer found A ${(found / 1000).toFixed(1)} s after the tracker was back`,
    );
  }, 60_000);

  it('after a longer outage (backoff at its cap), a newcomer still finds the node within 10 s', async () => {
    const { a, port } = await nodeWhoseTrackerClosed();
    const waits: number[] = [];
    await waitFor(
      'A to fail four attempts',
      () => {
        const s = a.node.status().announce[0]!.announce;
        if (s.state === 'retrying' && waits.length < s.attempt) waits.push(s.inMs);
        return waits.length >= 5;
      },
      40_000,
    );
    // Each planned wait is within the bound for its attempt.
    waits.forEach((ms, n) => expect(ms).toBeLessThanOrEqual(reconnectDelayMs(n, 0)));
    const found = await newcomerFinds(a, port);
    console.log(`tracker back after a long outage: a newcomer found A ${(found / 1000).toFixed(1)} s later`);
  }, 90_000);
});
