// The rolling schedule's rate and its bound (rollingAnnouncer.ts): one announce per cold tx per cycle
// and target, capped at MAX_ANNOUNCES_PER_TICK per tick however many txs are stored.
import { afterEach, expect, it } from 'vitest';
import { MAX_ANNOUNCES_PER_TICK, ROLL_CYCLE_MS, RollingAnnouncer } from '../../src/node/rollingAnnouncer.ts';

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
