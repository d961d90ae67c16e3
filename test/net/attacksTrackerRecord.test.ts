// Issue 16 item 4, as an attack on the real tracker (bittorrent-tracker on loopback, announced to over
// WebSocket): 50 loopback addresses flood the tracker record with random infohashes and announce each
// other's, which used to make every flood entry "announced by two sources", permanent, and lock out an
// honest address (its new txs refused, "the tracker record is full", its old ones evicted). Here an
// honest address with 100 txs keeps all of them and records 100 new ones, the record and its file stay
// bounded, and entries nobody announces expire, across a restart too.
//
// The record is 20,000 entries here (the flood scaled with it: each address's share is 400 entries, so
// the honest address's 200 are fewer than any flooder's, as at full size, 2,000 each) to keep the run
// short on a shared machine; TTX_ATTACK_RECORD_ENTRIES=100000 runs the size.
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Tracker, TrackerLimits } from '../../server/trackerServer.ts';
import { useTestTrackers } from '../server/useTestTrackers.ts';
import { announceMessage, randomHex20, type TestSocket } from '../server/wsClient.ts';
import { pollFor } from '../support/pollFor.ts';

const RECORD_ENTRIES = Number(process.env.TTX_ATTACK_RECORD_ENTRIES ?? 20_000);
const FLOODERS = Array.from({ length: 50 }, (_, i) => `127.0.2.${i + 1}`);
const HONEST = '127.0.0.2';
/** Each flooding address's fair share of the record. */
const SHARE = RECORD_ENTRIES / FLOODERS.length;
/** Long enough for the honest address to re-announce several times within it on a loaded machine. */
const SHORT_TTL_MS = 8000;
/** A record entry's largest size in the file: infohash, counts, times, 4 source keys. */
const MAX_BYTES_PER_ENTRY = 250;

const trackers = useTestTrackers();

const randomHashes = (n: number): string[] => Array.from({ length: n }, () => randomHex20());
const failures = (s: TestSocket): Record<string, unknown>[] =>
  s.received.filter((m) => m['failure reason'] !== undefined);

/** Announces each infohash once on `s` and waits for the answers; the failures among them. */
async function announceOn(s: TestSocket, infoHashes: readonly string[], event = 'started'): Promise<number> {
  const before = s.received.length;
  const failedBefore = failures(s).length;
  const peerId = randomHex20();
  for (const infoHash of infoHashes) s.socket.send(announceMessage(infoHash, peerId, event));
  await s.receivedCount(before + infoHashes.length);
  return failures(s).length - failedBefore;
}

async function fileBytes(t: Tracker): Promise<number> {
  await t.record.flush();
  return (await stat(t.record.path)).size;
}

describe('attack: filling the tracker record from 50 addresses', () => {
  it('an honest address keeps its 100 txs and records 100 new ones; the record stays bounded, and expires', async () => {
    const limits: Partial<TrackerLimits> = {
      recordMaxEntries: RECORD_ENTRIES,
      // Room for every flooder to record its share, then half as much again after the cross-announces.
      newPerSource: { burst: 2 * SHARE, perMinute: 120 },
    };
    const t1 = await trackers.start({ limits });
    const honest = await trackers.socket(t1, HONEST);
    const old = randomHashes(100);
    expect(await announceOn(honest, old)).toBe(0);

    const floods = await Promise.all(FLOODERS.map((source) => trackers.socket(t1, source)));
    const started = performance.now();
    let floodAnnounces = 0;
    // 1. Every address announces its share of random infohashes: the record fills.
    const mine = FLOODERS.map(() => randomHashes(SHARE));
    await Promise.all(floods.map((s, i) => announceOn(s, mine[i]!)));
    floodAnnounces += SHARE * FLOODERS.length;
    const filledMs = performance.now() - started;
    expect(t1.record.size).toBe(RECORD_ENTRIES);
    // 2. Each announces its neighbour's recorded infohashes: every flood entry now has two sources.
    await Promise.all(
      floods.map((s, i) => {
        const theirs = mine[(i + 1) % FLOODERS.length]!.filter((h) => t1.record.get(h) !== undefined);
        floodAnnounces += theirs.length;
        return announceOn(s, theirs, 'update');
      }),
    );
    // 3. And half its share of new ones, which must push something out.
    await Promise.all(floods.map((s) => announceOn(s, randomHashes(SHARE / 2))));
    floodAnnounces += (SHARE / 2) * FLOODERS.length;
    const floodMs = performance.now() - started;

    // The honest address announces its old txs again and 100 new ones: all recorded, none refused.
    const fresh = randomHashes(100);
    const refused = await announceOn(honest, [...old, ...fresh]);
    const oldKept = old.filter((h) => (t1.record.get(h)?.count ?? 0) >= 2).length;
    const freshRecorded = fresh.filter((h) => t1.record.get(h) !== undefined).length;
    const bytes = await fileBytes(t1);
    console.log(
      `tracker record flood: ${FLOODERS.length} addresses, ${floodAnnounces} announces in ` +
        `${(floodMs / 1000).toFixed(1)} s (${Math.round(floodAnnounces / (floodMs / 1000))}/s; ` +
        `${RECORD_ENTRIES} entries full after ${(filledMs / 1000).toFixed(1)} s); honest: ${oldKept}/100 ` +
        `old kept, ${freshRecorded}/100 new recorded, ${refused} refused; record ${t1.record.size} ` +
        `entries, file ${(bytes / 1e6).toFixed(2)} MB (timings noisy: shared machine)`,
    );
    expect(failures(honest)).toEqual([]);
    expect(oldKept).toBe(100);
    expect(freshRecorded).toBe(100);
    expect(t1.record.size).toBeLessThanOrEqual(RECORD_ENTRIES);
    expect(bytes).toBeLessThanOrEqual(RECORD_ENTRIES * MAX_BYTES_PER_ENTRY);
    // Every flooder holds about its share, none more than its share plus what the honest one took.
    for (const source of FLOODERS) expect(t1.record.ownedBy(source)).toBeLessThanOrEqual(SHARE + 1);
    const firstSeen = new Map(old.map((h) => [h, t1.record.get(h)!.firstSeen]));
    await t1.close();

    // The same folder with a short TTL: the flood, announced by nobody any more, expires; the honest
    // address, re-announcing every second, keeps all 200 (the same entries: firstSeen unchanged).
    const t2 = await trackers.start({ limits: { ...limits, recordTtlMs: SHORT_TTL_MS } });
    const honest2 = await trackers.socket(t2, HONEST);
    const expiryStarted = performance.now();
    await pollFor(
      'the flood entries to expire',
      async () => {
        expect(await announceOn(honest2, [...old, ...fresh], 'update')).toBe(0);
        for (const h of old) expect(t2.record.get(h)?.firstSeen, h).toBe(firstSeen.get(h));
        if (t2.record.size === 200) return true;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return false;
      },
      4 * SHORT_TTL_MS,
    );
    const bytesAfter = await fileBytes(t2);
    console.log(
      `tracker record expiry (TTL ${SHORT_TTL_MS / 1000} s): flood gone after ` +
        `${((performance.now() - expiryStarted) / 1000).toFixed(1)} s, ${t2.record.size} entries, ` +
        `file ${bytesAfter} bytes`,
    );
    expect(bytesAfter).toBeLessThanOrEqual(200 * MAX_BYTES_PER_ENTRY);
    await t2.close();

    // Nobody announces while the tracker is down: on restart past the TTL, everything has expired.
    await new Promise((resolve) => setTimeout(resolve, SHORT_TTL_MS + 500));
    const t3 = await trackers.start({ limits: { ...limits, recordTtlMs: SHORT_TTL_MS } });
    expect(t3.record.size).toBe(0);
    expect(t3.record.get(old[0]!)).toBeUndefined();
  }, 300_000);
});
