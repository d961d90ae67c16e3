// `npm run bench:tracker`: floods the devnet's tracker with 1,000,000 announces of random infohashes from
// one address (127.0.0.1, over as many WebSockets as it is allowed and more), while three honest addresses
// (127.0.0.2–4) announce before and after. Loopback only, bounded by count and FLOOD_MAX_MS. Prints the
// tracker process's memory before and after (ratio), the record's size, the time of a record page and a
// walk of the whole record against GET /network.json (the raw baseline, same run), the full scrape's
// size and time, and how many honest entries the record kept.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { TrackerStats } from './tracker/trackerProcess.ts';

const FLOOD_ANNOUNCES = Number(process.env.TTX_BENCH_FLOOD ?? 1_000_000);
const FLOOD_MAX_MS = 180_000;
const FLOOD_SOCKETS = 40;
const HONEST = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const HONEST_EACH = 100;

const child = fork(new URL('./tracker/trackerProcess.ts', import.meta.url), {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const next = <T>(): Promise<T> => new Promise((resolve) => child.once('message', (m) => resolve(m as T)));
const { appUrl, wsUrl } = await next<{ appUrl: string; wsUrl: string }>();
const stats = async (): Promise<TrackerStats> => {
  const answer = next<TrackerStats>();
  child.send('stats');
  return answer;
};

const binary = (bytes: Buffer): string => String.fromCharCode(...bytes);
const announce = (infoHash: Buffer, peerId: Buffer): string =>
  JSON.stringify({
    action: 'announce',
    info_hash: binary(infoHash),
    peer_id: binary(peerId),
    event: 'started',
    numwant: 0,
    uploaded: 0,
    downloaded: 0,
    left: 0,
    offers: [],
  });

function open(localAddress: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { localAddress });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Announces `count` fresh infohashes from `source`, waits for every answer; the hex infohashes. */
async function honestAnnounces(source: string, count: number): Promise<string[]> {
  const socket = await open(source);
  const peerId = randomBytes(20);
  const hashes = Array.from({ length: count }, () => randomBytes(20));
  let answers = 0;
  await new Promise<void>((resolve) => {
    socket.on('message', () => ++answers === count && resolve());
    for (const h of hashes) socket.send(announce(h, peerId));
  });
  socket.close();
  return hashes.map((h) => h.toString('hex'));
}

async function flood(): Promise<{ sent: number; opened: number; refusedOpens: number; ms: number }> {
  const start = performance.now();
  let sent = 0;
  let opened = 0;
  let refusedOpens = 0;
  const worker = async (): Promise<void> => {
    while (sent < FLOOD_ANNOUNCES && performance.now() - start < FLOOD_MAX_MS) {
      let socket: WebSocket;
      try {
        socket = await open('127.0.0.1');
        opened++;
      } catch {
        refusedOpens++;
        continue;
      }
      socket.on('error', () => undefined);
      const peerId = randomBytes(20);
      while (socket.readyState === WebSocket.OPEN && sent < FLOOD_ANNOUNCES) {
        if (socket.bufferedAmount > 1 << 20) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        for (let i = 0; i < 200 && sent < FLOOD_ANNOUNCES; i++, sent++)
          socket.send(announce(randomBytes(20), peerId));
        await new Promise((resolve) => setImmediate(resolve));
      }
      socket.terminate();
    }
  };
  await Promise.all(Array.from({ length: FLOOD_SOCKETS }, worker));
  return { sent, opened, refusedOpens, ms: performance.now() - start };
}

async function timedGet(url: string): Promise<{ ms: number; bytes: number; json?: unknown }> {
  const start = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - start;
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(body.toString()) : undefined;
  return { ms, bytes: body.length, json };
}

/** The median of five GETs: the first after the flood may still queue behind the tracker's backlog. */
async function medianGet(url: string): Promise<{ ms: number; bytes: number }> {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await timedGet(url));
  runs.sort((a, b) => a.ms - b.ms);
  return runs[2]!;
}

async function walkRecord(): Promise<{ ms: number; pages: number; entries: Set<string> }> {
  const start = performance.now();
  const entries = new Set<string>();
  let after: string | null = null;
  let pages = 0;
  do {
    const url = new URL('/api/tracker/record', appUrl);
    url.searchParams.set('limit', '5000');
    if (after) url.searchParams.set('after', after);
    const page = (await timedGet(url.href)).json as { infoHashes: object; next: string | null };
    for (const key of Object.keys(page.infoHashes)) entries.add(key);
    after = page.next;
    pages++;
  } while (after !== null && pages < 1000);
  return { ms: performance.now() - start, pages, entries };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

try {
  const honestBefore = (await Promise.all(HONEST.map((s) => honestAnnounces(s, HONEST_EACH)))).flat();
  const before = await stats();
  const result = await flood();
  const honestAfter = (await Promise.all(HONEST.map((s) => honestAnnounces(s, HONEST_EACH)))).flat();
  const after = await stats();

  const baseline = await medianGet(new URL('/network.json', appUrl).href);
  const page = await medianGet(new URL('/api/tracker/record?limit=1000', appUrl).href);
  const walk = await walkRecord();
  const scrape = await medianGet(wsUrl.replace('ws:', 'http:') + '/scrape');
  const keptBefore = honestBefore.filter((h) => walk.entries.has(h)).length;
  const keptAfter = honestAfter.filter((h) => walk.entries.has(h)).length;

  console.log(
    `flood: ${result.sent.toLocaleString()} announces sent from 127.0.0.1 in ${(result.ms / 1000).toFixed(1)} s`,
  );
  console.log(`  over ${result.opened} sockets opened (${result.refusedOpens} opens failed)`);
  console.log(
    `tracker memory (RSS): ${mb(before.rssBytes)} → ${mb(after.rssBytes)}  ×${(after.rssBytes / before.rssBytes).toFixed(2)}`,
  );
  console.log(`tracker heap used:    ${mb(before.heapUsedBytes)} → ${mb(after.heapUsedBytes)}`);
  console.log(`swarms in memory:     ${before.swarms} → ${after.swarms}`);
  console.log(
    `record:               ${before.recordEntries} → ${after.recordEntries} entries, file ${kb(before.recordFileBytes)} → ${kb(after.recordFileBytes)}`,
  );
  console.log(`GET /network.json (baseline, median of 5): ${baseline.ms.toFixed(1)} ms, ${baseline.bytes} B`);
  console.log(
    `GET record page (1000):       ${page.ms.toFixed(1)} ms, ${kb(page.bytes)}  ×${(page.ms / baseline.ms).toFixed(1)} the baseline`,
  );
  console.log(`whole record in ${walk.pages} pages:  ${walk.ms.toFixed(1)} ms, ${walk.entries.size} entries`);
  console.log(`GET full scrape:              ${scrape.ms.toFixed(1)} ms, ${kb(scrape.bytes)}`);
  console.log(
    `honest entries kept: ${keptBefore}/${honestBefore.length} announced before the flood, ${keptAfter}/${honestAfter.length} after`,
  );
} finally {
  child.send('close');
}
