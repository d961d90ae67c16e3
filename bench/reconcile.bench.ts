// Set reconciliation (src/net/sync) figures against raw baselines from the same run:
//  1. Building a SyncSet of N items (default 100,000), from sorted and from shuffled input, next to a raw
//     typed-array sort of the same times.
//  2. One range fingerprint next to one raw SHA-256 of 35 bytes (prefix sums make the range's
//     length irrelevant: one SHA-256 and a 256-bit subtraction, so the ratio is about 1 to 1.5).
//  3. Whole sessions (1 missing, 1,000 scattered, 1,000 newest, N vs 0, 0 vs N): rounds, bytes each way,
//     largest message and ms; 0 vs N next to the raw cost of hex-encoding the N ids it reports.
//  4. A hostile message: the responder's time for a full frame of mismatching fingerprints.
// Usage: npx tsx bench/reconcile.bench.ts [--size N]
import { sha256 } from '@noble/hashes/sha2.js';
import { parseArgs } from 'node:util';
import { bytesToHex } from '../src/core/hex.ts';
import { Reconciler } from '../src/net/sync/reconciler.ts';
import { DEFAULT_FRAME_SIZE_LIMIT } from '../src/net/sync/syncProtocol.ts';
import { SyncSet } from '../src/net/sync/syncSet.ts';
import { hostileSyncMessage } from '../test/support/hostileSync.ts';
import { randomPackedItems, runSession, setOf } from '../test/support/reconcileSession.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '100000' } } });
const size = Number(values.size);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => `${n.toFixed(1)} ms`;

function timed<T>(run: () => T): [T, number] {
  const t0 = performance.now();
  const result = run();
  return [result, performance.now() - t0];
}

/** Best of `runs` timings: the machine is shared. */
function best(runs: number, run: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, timed(run)[1]);
  return min;
}

const items = randomPackedItems(size);
const shuffled = randomPackedItems(size);
for (let i = size - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [shuffled.times[i], shuffled.times[j]] = [shuffled.times[j] as number, shuffled.times[i] as number];
}

// 1. Build.
const rawSort = best(3, () => Float64Array.from(shuffled.times).sort());
const buildSorted = best(3, () => SyncSet.fromPacked(items.times, items.ids));
const buildShuffled = best(3, () => SyncSet.fromPacked(shuffled.times, shuffled.ids));
console.log(`build ${fmt(size)} sorted    ${ms(buildSorted)}`);
console.log(`build ${fmt(size)} shuffled  ${ms(buildShuffled)}`);
console.log(`raw Float64Array sort     ${ms(rawSort)}`);
console.log(`build shuffled / raw sort ${(buildShuffled / rawSort).toFixed(2)}`);

// 2. Fingerprints.
const all = setOf(items, () => true);
const count = 20_000;
const input = new Uint8Array(35);
let fingerprint = Infinity;
let rawSha = Infinity;
for (let run = 0; run < 5; run++) {
  // Interleaved, so that neither gets the other's warm-up.
  fingerprint = Math.min(
    fingerprint,
    best(1, () => {
      for (let i = 0; i < count; i++) all.fingerprint(i % 1000, size - (i % 1000));
    }),
  );
  rawSha = Math.min(
    rawSha,
    best(1, () => {
      for (let i = 0; i < count; i++) {
        input[0] = i;
        sha256(input);
      }
    }),
  );
}
console.log(`fingerprint of a range    ${((fingerprint / count) * 1000).toFixed(2)} µs`);
console.log(`raw SHA-256 of 35 bytes   ${((rawSha / count) * 1000).toFixed(2)} µs`);
console.log(`fingerprint / SHA-256     ${(fingerprint / rawSha).toFixed(2)}  (about 1 to 1.5)`);

// 3. Sessions.
const sessions: [string, () => [SyncSet, SyncSet]][] = [
  ['1 missing at the initiator', () => [setOf(items, (i) => i !== Math.floor(size / 3)), all]],
  ['1 missing at the responder', () => [all, setOf(items, (i) => i !== Math.floor(size / 3))]],
  ['1,000 scattered missing', () => [setOf(items, (i) => i % Math.floor(size / 1000) !== 7), all]],
  ['1,000 newest missing', () => [setOf(items, (i) => i < size - 1000), all]],
  [`${fmt(size)} vs 0`, () => [all, SyncSet.empty()]],
  [`0 vs ${fmt(size)}`, () => [SyncSet.empty(), all]],
];
let zeroVsAllMs = 0;
for (const [name, make] of sessions) {
  const [initiator, responder] = make();
  const [figures, took] = timed(() => runSession(initiator, responder));
  if (name.startsWith('0 vs')) zeroVsAllMs = took;
  const total = figures.bytesToResponder + figures.bytesToInitiator;
  console.log(
    `${name.padEnd(28)} ${String(figures.rounds).padStart(3)} rounds  ${fmt(figures.bytesToResponder).padStart(9)} B → ` +
      `${fmt(figures.bytesToInitiator).padStart(9)} B ←  total ${fmt(total).padStart(9)} B  largest ` +
      `${fmt(figures.largestMessage)} B  ${ms(took)}  (found ${fmt(figures.have.length + figures.need.length)})`,
  );
}
const rawHex = best(3, () => {
  for (let i = 0; i < size; i++) bytesToHex(items.ids.subarray(i * 20, i * 20 + 20));
});
console.log(`raw hex of ${fmt(size)} ids       ${ms(rawHex)}`);
console.log(`0 vs ${fmt(size)} / raw hex       ${(zeroVsAllMs / rawHex).toFixed(2)}`);

// 4. Hostile: a full frame of fingerprints that all mismatch, each over ~size/3000 items of ours.
const hostile = hostileSyncMessage(all, DEFAULT_FRAME_SIZE_LIMIT, Math.max(1, Math.floor(size / 3000)));
const respondMs = best(3, () => new Reconciler(all).respond(hostile));
console.log(`hostile frame (${fmt(hostile.length)} B) answered in ${ms(respondMs)}`);
