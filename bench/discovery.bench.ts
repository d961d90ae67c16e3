// `node --expose-gc --import tsx bench/discovery.bench.ts`: the discovery record at its bound
// (src/net/discovery/discoveryRecord.ts): heap for MAX_DISCOVERED entries next to a raw Map of the same
// keys to a number (the baseline: what any record of these ids costs), and the time to insert 50,000
// more past the bound (batch evictions, hints first, least seen first); and the set of given-up ids at its
// bound (MAX_GIVEN_UP), next to a raw Set of the same keys.
import { DiscoveryRecord, MAX_DISCOVERED, MAX_GIVEN_UP } from '../src/net/discovery/discoveryRecord.ts';

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
// Flat strings, as ids parsed from a record page are (padStart's are V8 cons strings, ~2.7× larger in a
// Set until something flattens them).
const flatIdOf = (i: number): string => JSON.parse(`"${idOf(i)}"`) as string;
const rawSet = heapOf(() => new Set(Array.from({ length: MAX_GIVEN_UP }, (_, i) => flatIdOf(i))));
const givingUp = new DiscoveryRecord();
const givenUp = heapOf(() => {
  for (let i = 0; i < MAX_GIVEN_UP; i++) {
    const id = flatIdOf(i);
    givingUp.noteTracker(id, 1, i);
    givingUp.giveUp(givingUp.get(id)!);
  }
  return givingUp;
});
console.log(
  `${givingUp.givenUpCount} ids given up: ${mib(givenUp.bytes)} ` +
    `(${Math.round(givenUp.bytes / givingUp.givenUpCount)} B each); raw Set<id>: ${mib(rawSet.bytes)}; ` +
    `ratio ${(givenUp.bytes / rawSet.bytes).toFixed(2)}`,
);
void raw.kept;
void rawSet.kept;
