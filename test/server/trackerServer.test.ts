// The node's tracker, for real: bittorrent-tracker on 127.0.0.1 port 0, announced to by its own Client
// over HTTP and by raw WebSocket messages as browsers send them; full scrapes, the persisted record
// across a restart, and the bounds on message size and rate.
import Client from 'bittorrent-tracker';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOSE_POLICY } from '../../server/guardTrackerSockets.ts';
import { TRACKER_RECORD_FILE } from '../../server/trackerRecord.ts';
import type { Tracker, TrackerOptions } from '../../server/trackerServer.ts';
import { useTestTrackers } from './useTestTrackers.ts';
import { announceMessage, binaryOf, randomHex20, type TestSocket } from './wsClient.ts';

const trackers = useTestTrackers();
const tracker = (options: Partial<TrackerOptions> = {}): Promise<Tracker> => trackers.start(options);
const socketTo = (t: Tracker): Promise<TestSocket> => trackers.socket(t);

/** One HTTP announce with bittorrent-tracker's own Client, as a Node seeder makes it. */
async function httpAnnounce(t: Tracker, infoHash: string, peerId: string): Promise<void> {
  const client = new Client({ infoHash, peerId, announce: [t.announceUrl], port: 6881 });
  try {
    await new Promise<void>((resolve, reject) => {
      client.on('error', reject);
      client.on('warning', reject);
      client.once('update', () => resolve());
      client.start();
    });
  } finally {
    await new Promise<void>((resolve) => client.destroy(() => resolve()));
  }
}

/** A raw HTTP announce (compact) from a seeder on `port`: how many peers the answer lists. */
async function peersGiven(t: Tracker, infoHash: string, port: number, numwant: number): Promise<number> {
  const binary = (hex: string) => escape(Buffer.from(hex, 'hex').toString('latin1'));
  const query = `info_hash=${binary(infoHash)}&peer_id=${binary(randomHex20())}&port=${port}&uploaded=0&downloaded=0&left=0&compact=1&event=started&numwant=${numwant}`;
  const res = await fetch(`${t.announceUrl}?${query}`);
  const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
  const peers = /5:peers(\d+):/.exec(body);
  if (!peers) throw new Error(`no peers in the answer: ${body}`);
  return Number(peers[1]) / 6; // compact: 6 bytes a peer
}

async function fullScrape(t: Tracker): Promise<Buffer> {
  const res = await fetch(t.announceUrl.replace('/announce', '/scrape'));
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('tracker record', () => {
  it('records an HTTP announce, shows it in a full scrape, and keeps counts across a restart', async () => {
    const infoHash = randomHex20();
    const peerId = randomHex20();
    const first = await tracker();
    expect(first.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(first.announceUrl).toBe(`http://127.0.0.1:${first.port}/announce`);

    await httpAnnounce(first, infoHash, peerId);
    const scrape = await fullScrape(first);
    // A bencoded dictionary whose `files` are keyed by the binary infohash.
    expect(scrape.subarray(0, 9).toString('latin1')).toBe('d5:filesd');
    // Keyed by the raw 20 bytes, as BEP 48 says.
    expect(scrape.includes(Buffer.concat([Buffer.from('20:'), Buffer.from(infoHash, 'hex')]))).toBe(true);

    await httpAnnounce(first, infoHash, peerId);
    const seen = first.record.get(infoHash)!;
    expect(seen.count).toBe(2);
    expect(seen.firstSeen).toBeLessThanOrEqual(seen.lastSeen);

    await first.close();
    const file = JSON.parse(await readFile(join(trackers.dataDir, TRACKER_RECORD_FILE), 'utf8'));
    // On disk the record keeps the source keys; the public view only counts them.
    expect(seen.sources).toBe(1);
    const { sources: _, ...stored } = seen;
    expect(file).toEqual({ version: 2, infoHashes: { [infoHash]: { ...stored, by: ['127.0.0.1'] } } });

    const second = await tracker();
    expect(second.record.get(infoHash)).toEqual(seen);
    // A browser's announce, over WebSocket this time, counts on the same record.
    const s = await socketTo(second);
    s.socket.send(announceMessage(infoHash, randomHex20()));
    await s.receivedCount(1);
    expect(s.received[0]).toMatchObject({ action: 'announce', info_hash: binaryOf(infoHash) });
    expect(second.record.get(infoHash)).toMatchObject({ count: 3, firstSeen: seen.firstSeen });
  });

  it('writes the record by itself shortly after announces, atomically (no temp file left)', async () => {
    const t = await tracker({ recordDelayMs: 10 });
    const infoHash = randomHex20();
    const s = await socketTo(t);
    s.socket.send(announceMessage(infoHash, randomHex20()));
    await s.receivedCount(1);
    const path = join(trackers.dataDir, TRACKER_RECORD_FILE);
    let text: string | undefined;
    for (let i = 0; i < 100 && text === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      text = await readFile(path, 'utf8').catch(() => undefined);
    }
    expect(JSON.parse(text!).infoHashes[infoHash].count).toBe(1);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(trackers.dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('answers a full scrape over WebSocket too', async () => {
    const t = await tracker();
    const infoHash = randomHex20();
    const s = await socketTo(t);
    s.socket.send(announceMessage(infoHash, randomHex20()));
    await s.receivedCount(1);
    s.socket.send(JSON.stringify({ action: 'scrape' }));
    await s.receivedCount(2);
    expect(s.received[1]).toMatchObject({ action: 'scrape' });
    expect(Object.keys(s.received[1]!.files as object)).toEqual([binaryOf(infoHash)]);
  });
});

describe('tracker bounds', () => {
  it('accepts a burst of 1,000 announces on one socket and records them all', async () => {
    const t = await tracker();
    const s = await socketTo(t);
    const peerId = randomHex20();
    const infoHashes = Array.from({ length: 1000 }, () => randomHex20());
    for (const infoHash of infoHashes) s.socket.send(announceMessage(infoHash, peerId));
    await s.receivedCount(1000);
    expect(s.socket.readyState).toBe(1); // still open
    expect(infoHashes.every((h) => t.record.get(h)?.count === 1)).toBe(true);
  });

  it('closes a socket that floods past the rate bound (1008), before the tracker sees the excess', async () => {
    const t = await tracker();
    const s = await socketTo(t);
    const infoHash = randomHex20();
    const peerId = randomHex20();
    for (let i = 0; i < 3000; i++)
      s.socket.send(announceMessage(infoHash, peerId, i === 0 ? 'started' : 'update'));
    expect(await s.closed).toBe(CLOSE_POLICY);
    // At most the burst (plus what refilled meanwhile) reached the tracker; answers still in flight
    // when the socket closed are dropped, so fewer may have been counted.
    const count = t.record.get(infoHash)!.count;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(2100);
  });

  it('closes a socket that sends a message over maxPayload (1009)', async () => {
    const t = await tracker();
    const s = await socketTo(t);
    s.socket.send(JSON.stringify({ action: 'announce', padding: 'x'.repeat(64 * 1024) }));
    expect(await s.closed).toBe(1009);
  });

  it('gives no peers to an HTTP announce with numwant=0 (bittorrent-tracker alone gives 50)', async () => {
    const t = await tracker();
    const infoHash = randomHex20();
    // bittorrent-tracker lists an HTTP announcer among its own peers: 1, then 0 asked, then all 3.
    expect(await peersGiven(t, infoHash, 6881, 5)).toBe(1);
    expect(await peersGiven(t, infoHash, 6882, 0)).toBe(0);
    expect(await peersGiven(t, infoHash, 6883, 5)).toBe(3);
  });

  it('refuses an HTTP request target longer than the bound (414)', async () => {
    const t = await tracker();
    const res = await fetch(`${t.announceUrl}?junk=${'a'.repeat(5000)}`);
    expect(res.status).toBe(414);
    expect(await res.text()).toMatch(/^d14:failure reason\d+:request target longer than 4096/);
  });
});
