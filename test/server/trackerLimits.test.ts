// The tracker's per-source limits, for real: bittorrent-tracker on loopback, announced to over WebSocket
// from several source addresses (the whole of 127.0.0.0/8 is loopback). One flooding source, then several,
// against honest sources: the flood is limited, honest entries are recorded and never evicted, the
// record endpoint pages, and refused announces make no swarm.
import { describe, expect, it } from 'vitest';
import { CLOSE_POLICY } from '../../server/guardTrackerSockets.ts';
import type { Tracker, TrackerLimits } from '../../server/trackerServer.ts';
import { pollFor } from '../support/pollFor.ts';
import { useTestDevnets } from './useTestDevnets.ts';
import { useTestTrackers } from './useTestTrackers.ts';
import { announceMessage, randomHex20, type TestSocket } from './wsClient.ts';

const trackers = useTestTrackers();
const tracker = (limits: Partial<TrackerLimits>): Promise<Tracker> => trackers.start({ limits });
const socketFrom = (t: Tracker, source: string): Promise<TestSocket> => trackers.socket(t, source);

/** Announces each infohash once from `source` on one socket and waits for every answer. */
async function announceAll(t: Tracker, source: string, infoHashes: readonly string[]): Promise<TestSocket> {
  const s = await socketFrom(t, source);
  const peerId = randomHex20();
  for (const infoHash of infoHashes) s.socket.send(announceMessage(infoHash, peerId));
  await s.receivedCount(infoHashes.length);
  return s;
}

const randomHashes = (n: number): string[] => Array.from({ length: n }, () => randomHex20());
const failures = (s: TestSocket): unknown[] => s.received.filter((m) => m['failure reason'] !== undefined);

describe('tracker limits per source address', () => {
  it('closes sockets past socketsPerSource from one address, and only from that one', async () => {
    const t = await tracker({ socketsPerSource: 3 });
    const flood = await Promise.all(Array.from({ length: 6 }, () => socketFrom(t, '127.0.0.9')));
    const codes = await Promise.race([
      Promise.all(flood.slice(3).map((s) => s.closed)),
      new Promise((resolve) => setTimeout(resolve, 5000, 'timeout')),
    ]);
    expect(codes).toEqual([CLOSE_POLICY, CLOSE_POLICY, CLOSE_POLICY]);
    expect(flood.slice(0, 3).every((s) => s.socket.readyState === 1)).toBe(true);
    // The server hears the last close a moment after the client does.
    await pollFor('the server to count 3 open sockets', () => t.openSocketsFrom('127.0.0.9') === 3);
    // Another address has its own allowance, and its announce is answered.
    const honest = await announceAll(t, '127.0.0.2', randomHashes(1));
    expect(failures(honest)).toEqual([]);
  });

  it('limits announces per second over all sockets of one address (1008), not per socket only', async () => {
    const t = await tracker({
      rate: { burst: 1000, perSecond: 500 },
      sourceRate: { burst: 150, perSecond: 10 },
    });
    const flood = await Promise.all(Array.from({ length: 3 }, () => socketFrom(t, '127.0.0.9')));
    const infoHash = randomHex20();
    // 3 × 100 = 300 messages: each socket alone is far under its own bound, together over the source's.
    for (const s of flood) {
      const peerId = randomHex20();
      for (let i = 0; i < 100; i++)
        s.socket.send(announceMessage(infoHash, peerId, i === 0 ? 'started' : 'update'));
    }
    const closed = await Promise.race(flood.map((s) => s.closed));
    expect(closed).toBe(CLOSE_POLICY);
    expect(t.record.get(infoHash)!.count).toBeLessThanOrEqual(150 + 10);
    // An honest address announcing meanwhile is untouched.
    const honest = await announceAll(t, '127.0.0.2', randomHashes(20));
    expect(failures(honest)).toEqual([]);
    expect(honest.socket.readyState).toBe(1);
  });

  it('records at most newPerSource new infohashes from a flooding address; others are still recorded', async () => {
    const t = await tracker({ newPerSource: { burst: 50, perMinute: 1 } });
    const honestBefore = randomHashes(10);
    await announceAll(t, '127.0.0.2', honestBefore);
    const floodHashes = randomHashes(400);
    const flood = await announceAll(t, '127.0.0.9', floodHashes);
    const recorded = floodHashes.filter((h) => t.record.get(h) !== undefined).length;
    expect(recorded).toBeGreaterThanOrEqual(50);
    expect(recorded).toBeLessThanOrEqual(51);
    expect(failures(flood).length).toBe(400 - recorded);
    expect(failures(flood)[0]).toMatchObject({
      'failure reason': 'more than 1 new infohashes a minute from this address',
    });
    // Refused announces made no swarm: the tracker holds the recorded ones only.
    expect(t.countSwarms()).toBe(10 + recorded);
    // Announcing a recorded infohash again still counts for the flooder; honest newcomers are recorded.
    const honestAfter = randomHashes(10);
    const honest = await announceAll(t, '127.0.0.3', [...honestAfter, ...honestBefore]);
    expect(failures(honest)).toEqual([]);
    for (const h of honestBefore) expect(t.record.get(h)).toMatchObject({ count: 2, sources: 2 });
    for (const h of honestAfter) expect(t.record.get(h)).toMatchObject({ count: 1, sources: 1 });
  });

  it('a multi-address flood filling the record evicts only flood entries, never honest ones', async () => {
    const t = await tracker({
      recordMaxEntries: 60,
      ownedPerSource: 25,
      newPerSource: { burst: 1000, perMinute: 1000 },
    });
    const alone = randomHashes(5); // announced by one honest address only
    const shared = randomHashes(5); // announced by two
    await announceAll(t, '127.0.0.2', [...alone, ...shared]);
    await announceAll(t, '127.0.0.3', shared);

    // Four flooding addresses × 40 random infohashes: 160 more than the room of 50 left.
    const floods = ['127.0.1.1', '127.0.1.2', '127.0.1.3', '127.0.1.4'];
    for (const source of floods) await announceAll(t, source, randomHashes(40));
    expect(t.record.size).toBe(60);
    // Each flooder owns at most its quota, and the record is shared out rather than taken by the first.
    for (const source of floods) expect(t.record.ownedBy(source)).toBeLessThanOrEqual(25);
    for (const h of [...alone, ...shared]) expect(t.record.get(h), h).toBeDefined();

    // Once full, a new honest address is still recorded: it evicts a flooder's oldest entry.
    const late = randomHashes(5);
    const honest = await announceAll(t, '127.0.0.4', late);
    expect(failures(honest)).toEqual([]);
    for (const h of [...alone, ...shared, ...late]) expect(t.record.get(h), h).toBeDefined();
    expect(t.record.size).toBe(60);
  });

  it('holds at most maxSwarms swarms, and deletes swarms whose peers left while the record keeps them', async () => {
    const t = await trackers.start({ limits: { maxSwarms: 20 }, swarmSweepMs: 50 });
    const hashes = randomHashes(30);
    const s = await announceAll(t, '127.0.0.2', hashes);
    expect(failures(s)).toHaveLength(10);
    expect(failures(s)[0]).toMatchObject({ 'failure reason': 'the tracker holds too many swarms' });
    expect(t.countSwarms()).toBe(20);
    expect(t.record.size).toBe(20);
    // The peer leaves every swarm when its socket closes; the sweep then frees them all.
    s.socket.close();
    await pollFor('the sweep to delete the empty swarms', () => t.countSwarms() === 0);
    expect(t.record.size).toBe(20);
    // Room again: new swarms are made.
    const again = await announceAll(t, '127.0.0.3', randomHashes(5));
    expect(failures(again)).toEqual([]);
  });

  it('counts IPv4 sources by address and IPv6 sources by /64', async () => {
    const { sourceKeyOf } = await import('../../server/sourceKey.ts');
    expect(sourceKeyOf('127.0.0.2')).toBe('127.0.0.2');
    expect(sourceKeyOf('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(sourceKeyOf('2001:db8:a:b:1:2:3:4')).toBe('2001:db8:a:b::/64');
    expect(sourceKeyOf('2001:db8:a:b::9')).toBe('2001:db8:a:b::/64');
    expect(sourceKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKeyOf('::1')).toBe('0:0:0:0::/64');
  });
});

describe('tracker record endpoint', () => {
  const devnets = useTestDevnets();

  it('pages the record in infohash order from a snapshot, and says what is wrong with a bad query', async () => {
    const devnet = await devnets.start();
    const hashes = randomHashes(250);
    const s = await trackers.socket(devnet.tracker);
    const peerId = randomHex20();
    for (const h of hashes) s.socket.send(announceMessage(h, peerId));
    await s.receivedCount(250);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const url = new URL('/api/tracker/record', devnet.appUrl);
      url.searchParams.set('limit', '100');
      if (after) url.searchParams.set('after', after);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { total: number; infoHashes: object; next: string | null };
      expect(page.total).toBe(250);
      seen.push(...Object.keys(page.infoHashes));
      after = page.next;
      pages++;
    } while (after !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...hashes].sort());

    const bad = await fetch(new URL('/api/tracker/record?limit=0', devnet.appUrl));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: '"limit" must be an integer from 1 to 5000, got 0' });
    const badAfter = await fetch(new URL('/api/tracker/record?after=xyz', devnet.appUrl));
    expect(badAfter.status).toBe(400);
  });

  it('answers the full scrape from a cached snapshot: the same bytes within the window', async () => {
    const t = await tracker({});
    await announceAll(t, '127.0.0.2', randomHashes(3));
    const scrapeUrl = t.announceUrl.replace('/announce', '/scrape');
    const first = Buffer.from(await (await fetch(scrapeUrl)).arrayBuffer());
    await announceAll(t, '127.0.0.3', randomHashes(3));
    const second = Buffer.from(await (await fetch(scrapeUrl)).arrayBuffer());
    expect(second.equals(first)).toBe(true);
    expect(first.toString('latin1').match(/d8:complete/g)?.length).toBe(3);
  });
});
