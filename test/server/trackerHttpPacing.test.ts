// Issue 18 item 5: HTTP announces past a source's per-second rate are answered later, over the same
// keep-alive connections, instead of refused (server/httpPacer.ts); past the bound (the rate over
// httpMaxWaitMs) they are refused with a reason, and the connections stay usable. The real tracker on
// loopback, announced to over real HTTP from a chosen loopback address.
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackerLimits } from '../../server/trackerServer.ts';
import { announceEach, httpAnnouncer, type HttpAnnouncer } from './httpAnnouncer.ts';
import { useTestTrackers } from './useTestTrackers.ts';
import { randomHex20 } from './wsClient.ts';

const trackers = useTestTrackers();
const announcers: HttpAnnouncer[] = [];
afterEach(() => {
  for (const a of announcers.splice(0)) a.destroy();
});

function announcerTo(announceUrl: string, from: string, maxSockets: number): HttpAnnouncer {
  const a = httpAnnouncer(announceUrl, from, maxSockets);
  announcers.push(a);
  return a;
}

const randomHashes = (n: number): string[] => Array.from({ length: n }, () => randomHex20());

describe('HTTP announces past the rate', () => {
  it('over one keep-alive connection, are answered later, all of them, none refused', async () => {
    const limits: Partial<TrackerLimits> = { sourceRate: { burst: 5, perSecond: 10 }, httpMaxWaitMs: 5000 };
    const t = await trackers.start({ limits });
    const node = announcerTo(t.announceUrl, '127.0.0.21', 1);
    const ids = randomHashes(30);
    const started = performance.now();
    // All 30 at once: the agent sends each as soon as the last was answered, on one connection.
    const answers = await Promise.all(ids.map((id) => node.announce(id)));
    const ms = performance.now() - started;
    console.log(
      `30 announces at a rate of 10/s (burst 5) over ${node.socketsOpened} connection: answered in ` +
        `${(ms / 1000).toFixed(1)} s (noisy: shared machine)`,
    );
    expect(answers.map((a) => [a.status, a.failure])).toEqual(ids.map(() => [200, undefined]));
    expect(node.socketsOpened).toBe(1);
    expect(ids.every((id) => t.record.get(id)?.count === 1)).toBe(true);
    // Paced, not let through: 25 past the burst at 10 a second cannot take less than 2.5 s.
    expect(ms).toBeGreaterThanOrEqual(2000);
  });

  it('from many connections at once, wait up to the bound; past it are refused; the connections stay usable', async () => {
    // 4 a second over 5 s: 20 may wait.
    const limits: Partial<TrackerLimits> = { sourceRate: { burst: 5, perSecond: 4 }, httpMaxWaitMs: 5000 };
    const t = await trackers.start({ limits });
    const node = announcerTo(t.announceUrl, '127.0.0.22', 40);
    const ids = randomHashes(40);
    const answers = await Promise.all(ids.map((id) => node.announce(id)));
    const answered = answers.filter((a) => a.status === 200 && a.failure === undefined);
    const refused = answers.filter((a) => a.status === 429);
    const longestMs = Math.max(...answered.map((a) => a.ms));
    console.log(
      `40 announces at once at 4/s (burst 5, 5 s wait): ${answered.length} answered (longest wait ` +
        `${(longestMs / 1000).toFixed(1)} s), ${refused.length} refused (noisy: shared machine)`,
    );
    // The burst, and the 20 that may wait (a few more if the queue drained while the 40 arrived).
    expect(answered.length).toBeGreaterThanOrEqual(25);
    expect(answered.length).toBeLessThanOrEqual(30);
    expect(answered.length + refused.length).toBe(40);
    for (const a of refused) expect(a.failure).toMatch(/^more than 4 requests a second from this address/);
    const recorded = ids.filter((id) => t.record.get(id) !== undefined).length;
    expect(recorded).toBe(answered.length);
    // The time held is bounded: nobody waited much past httpMaxWaitMs (margin for a loaded machine).
    expect(longestMs).toBeLessThan(5000 + 3000);

    // The same keep-alive connections, refused ones too, carry the next announces, paced again.
    const more = randomHashes(10);
    const next = await announceEach(node, more, 10);
    expect(next.map((a) => [a.status, a.failure])).toEqual(more.map(() => [200, undefined]));
    expect(next.every((a) => a.reusedSocket)).toBe(true);
    expect(node.socketsOpened).toBe(40);
  });

  it('a waiting announce whose connection closed is dropped: the next ones do not wait its turn', async () => {
    // One every 2 s; 10 may wait.
    const limits: Partial<TrackerLimits> = {
      sourceRate: { burst: 1, perSecond: 0.5 },
      httpMaxWaitMs: 20_000,
    };
    const t = await trackers.start({ limits });
    const quitter = announcerTo(t.announceUrl, '127.0.0.23', 5);
    expect((await quitter.announce(randomHex20())).status).toBe(200);
    const abandoned = randomHashes(5);
    const pending = abandoned.map((id) => quitter.announce(id).catch((err: Error) => err));
    await new Promise((resolve) => setTimeout(resolve, 300));
    quitter.destroy();
    await Promise.all(pending);
    // Another client of the same address: its two are answered at the next two turns (~2 and ~4 s),
    // not after the five abandoned ones' (which would take 10 s more).
    const patient = announcerTo(t.announceUrl, '127.0.0.23', 2);
    const answers = await Promise.all(randomHashes(2).map((id) => patient.announce(id)));
    const longestMs = Math.max(...answers.map((a) => a.ms));
    console.log(`after 5 abandoned, 2 answered within ${(longestMs / 1000).toFixed(1)} s (one turn per 2 s)`);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(longestMs).toBeLessThan(10_000);
    expect(abandoned.filter((id) => t.record.get(id) !== undefined)).toEqual([]);
  });
});
