// `npx tsx bench/exchange.bench.ts`: the request tracker's cost against a raw baseline from the same run.
//  1. Scheduling: 100,000 ids announced by 3 peers, asked 100 at a time per peer and answered at once,
//     through TxRequestTracker, next to a raw Map (set on ask, delete on answer) over the same ids: the
//     ratio is the share of the raw speed left after the tracker's rules (one peer per id, in-flight
//     bound, spreading).
//  2. Memory: the tracker filled to MAX_ANNOUNCED_TOTAL distinct announcements (whole peers' caps) (run with
//     `node --expose-gc --import tsx` for a settled heap).
// Usage: npx tsx bench/exchange.bench.ts [-- --size N]
import { parseArgs } from 'node:util';
import {
  MAX_ANNOUNCED_PER_PEER,
  MAX_IN_FLIGHT_PER_PEER,
  MAX_ANNOUNCED_TOTAL,
  REQUEST_LIMITS,
  TxRequestTracker,
} from '../src/net/exchange/txRequestTracker.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '100000' } } });
const size = Number(values.size);
const PEERS = ['a', 'b', 'c'];

const ids = (n: number, from = 0): string[] =>
  Array.from({ length: n }, (_, i) => (from + i).toString(16).padStart(40, '0'));

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const shared = ids(size);

// Raw baseline: the least bookkeeping a request needs, on the same ids in the same order.
let t0 = performance.now();
const raw = new Map<string, string>();
for (let at = 0; at < size;) {
  for (const peer of PEERS) {
    const batch = shared.slice(at, at + MAX_IN_FLIGHT_PER_PEER);
    at += batch.length;
    for (const id of batch) raw.set(id, peer);
    for (const id of batch) raw.delete(id);
  }
}
const rawMs = performance.now() - t0;

t0 = performance.now();
const tracker = new TxRequestTracker({ ...REQUEST_LIMITS, maxAnnouncedPerPeer: size });
for (const peer of PEERS) tracker.announce(peer, shared);
let received = 0;
for (let now = 0; received < size; now++) {
  for (const peer of PEERS) {
    for (const id of tracker.nextRequests(peer, now)) {
      tracker.received(id, peer);
      received++;
    }
  }
}
const trackerMs = performance.now() - t0;
console.log(
  `scheduling ${fmt(size)} ids over ${PEERS.length} peers: tracker ${fmt((size / trackerMs) * 1000)} ids/s ` +
    `(announce, ask, answer), raw Map ${fmt((size / rawMs) * 1000)} ids/s; ratio ${(rawMs / trackerMs).toFixed(3)}`,
);

const gc = (globalThis as { gc?: () => void }).gc;
const full = ids(MAX_ANNOUNCED_TOTAL);
gc?.();
const before = process.memoryUsage().heapUsed;
const big = new TxRequestTracker();
for (let p = 0; p < MAX_ANNOUNCED_TOTAL / MAX_ANNOUNCED_PER_PEER; p++) {
  big.announce(`p${p}`, full.slice(p * MAX_ANNOUNCED_PER_PEER, (p + 1) * MAX_ANNOUNCED_PER_PEER));
}
gc?.();
const bytes = process.memoryUsage().heapUsed - before;
console.log(
  `full tracker: ${fmt(big.size().announcements)} announcements, ${(bytes / 2 ** 20).toFixed(1)} MiB ` +
    `(${fmt(bytes / big.size().announcements)} bytes each, id strings excluded)${gc ? '' : ' (no --expose-gc: rough)'}`,
);
