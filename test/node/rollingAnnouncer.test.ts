// The rolling schedule's rate and its bound (rollingAnnouncer.ts): one announce per cold tx per cycle
// and target, capped at MAX_ANNOUNCES_PER_TICK per tick however many txs are stored; and the announces a
// real TorrentTX tracker on loopback refused, counted, none for a known node (issue 18 item 5).
import { afterEach, describe, expect, it } from 'vitest';
import type { Tracker } from '../../server/trackerServer.ts';
import { MAX_ANNOUNCES_PER_TICK, ROLL_CYCLE_MS, RollingAnnouncer } from '../../src/node/rollingAnnouncer.ts';
import { useTestTrackers } from '../server/useTestTrackers.ts';
import { randomHex20 } from '../server/wsClient.ts';
import { pollFor } from '../support/pollFor.ts';

let announcer: RollingAnnouncer | undefined;
afterEach(() => announcer?.destroy());

it('announces each cold tx once per cycle per target, and no faster than the bound', () => {
  announcer = new RollingAnnouncer({
    ids: async () => [],
    skip: () => false,
    httpAnnounceUrls: ['http://127.0.0.1:1/announce', 'http://127.0.0.1:2/announce'],
    peerId: '00'.repeat(20),
    port: () => undefined, // never listening: the ticks send nothing
    dht: { announce: () => {} },
  });
  const cycleSeconds = ROLL_CYCLE_MS / 1000;
  // 100,000 cold txs in a 15-minute cycle: 112 a second, to 2 trackers and the DHT.
  expect(announcer.ratePerSecond(100_000)).toBe(Math.ceil(100_000 / cycleSeconds) * 3);
  expect(announcer.ratePerSecond(900)).toBe(3);
  // Past the bound the cycle lengthens instead.
  expect(announcer.ratePerSecond(10_000_000)).toBe(MAX_ANNOUNCES_PER_TICK * 3);
});

describe('against the TorrentTX tracker', () => {
  const trackers = useTestTrackers();
  const ids = Array.from({ length: 10 }, () => randomHex20());
  /** One cycle of the 10 ids in one tick, to one tracker; the counts once all were answered. */
  async function oneCycle(t: Tracker): Promise<{ sent: number; failed: number; refused: number }> {
    let cycles = 0;
    const a = (announcer = new RollingAnnouncer({
      ids: async () => (cycles++ === 0 ? ids : []), // one cycle: later ones announce nothing
      skip: () => false,
      httpAnnounceUrls: [t.announceUrl],
      peerId: randomHex20(),
      port: () => 6881,
      cycleMs: 100,
      tickMs: 100,
    }));
    await pollFor('one cycle answered', () => t.record.size + a.refused >= ids.length);
    a.destroy();
    return { sent: a.sent, failed: a.failed, refused: a.refused };
  }
  const limits = { newPerSource: { burst: 3, perMinute: 0.001 } };

  it('counts the announces its limits refused', async () => {
    const t = await trackers.start({ limits });
    expect((await oneCycle(t)).refused).toBe(7);
    expect(t.record.size).toBe(3);
  });

  it('a known node is refused none', async () => {
    const t = await trackers.start({ limits, knownNodes: ['127.0.0.1'] });
    expect((await oneCycle(t)).refused).toBe(0);
    expect(t.record.size).toBe(10);
  });
});
