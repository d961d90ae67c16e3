// `node --expose-gc --import tsx bench/discovery.bench.ts`: the discovery record at its bound
// (src/net/discovery/discoveryRecord.ts): heap for MAX_DISCOVERED entries next to a raw Map of the same
// keys to a number (the baseline: what any record of these ids costs), and the time to insert 50,000
// more past the bound (batch evictions, least seen first).
import { DiscoveryRecord, MAX_DISCOVERED } from '../src/net/discovery/discoveryRecord.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const idOf = (i: number) => i.toString(16).padStart(40, '0');

function heapOf(fill: () => unknown): { bytes: number; kept: unknown } {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const kept = fill();
  gc!();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}

const raw = heapOf(() => {
  const map = new Map<string, number>();
  for (let i = 0; i < MAX_DISCOVERED; i++) map.set(idOf(i), i);
  return map;
});
const record = new DiscoveryRecord();
const full = heapOf(() => {
  for (let i = 0; i < MAX_DISCOVERED; i++) record.noteTracker(idOf(i), 1 + (i % 9), i);
  return record;
});
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(
  `record of ${record.size} ids: ${mib(full.bytes)} (${Math.round(full.bytes / record.size)} B each); ` +
    `raw Map<id, number>: ${mib(raw.bytes)}; ratio ${(full.bytes / raw.bytes).toFixed(2)}`,
);
const started = performance.now();
for (let i = 0; i < 50_000; i++) record.noteTracker(idOf(MAX_DISCOVERED + i), 1, MAX_DISCOVERED + i);
console.log(
  `50,000 inserts past the bound: ${(performance.now() - started).toFixed(0)} ms, ` +
    `${record.evictions()} evicted, size ${record.size}`,
);
void raw.kept;
