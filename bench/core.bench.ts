// `npm run bench`: core throughput against raw baselines measured in the same run.
//  1. Replay of a generated DAG (default 100,000 txs) through Ledger + in-memory store, in txs/s, next to
//     raw strict Ed25519 verifies/s on the same transactions. Target ratio ≥ 0.7: verifying should be
//     nearly all of the cost of deciding.
//  2. Mining hashes/s next to raw SHA-256/s of the same 40-byte input. Target ratio ≥ 0.8.
// Usage: npm run bench [-- --size N]
import { sha256 } from '@noble/hashes/sha2.js';
import { parseArgs } from 'node:util';
import { Ledger } from '../src/core/ledger.ts';
import { mineChunk } from '../src/core/mineNonce.ts';
import { powInput } from '../src/core/work.ts';
import { MemoryLedgerStore } from '../src/storage/memoryLedgerStore.ts';
import { loadOrGenerateDag } from './dagCache.ts';
import { rawVerifyRate } from './rawVerifyRate.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '100000' } } });
const size = Number(values.size);

function rate(count: number, ms: number): number {
  return (count / ms) * 1000;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const dag = await loadOrGenerateDag(size);
console.log(`DAG: ${dag.txs.length.toLocaleString('en-US')} txs`);

// Raw baseline: strict verification alone on a sample of the same transactions.
const verifyRate = rawVerifyRate(dag.txs);

// Replay: the whole ledger path (ids, parse, canonical check, verify, work, decisions, store commits).
const store = new MemoryLedgerStore();
const ledger = new Ledger(store, { genesisId: dag.genesisId, powUnit: 1n });
const batchSize = 1000;
let t0 = performance.now();
for (let i = 0; i < dag.txs.length; i += batchSize) {
  await ledger.receive(dag.txs.slice(i, i + batchSize), Date.parse('2027-01-01T00:00:00Z'));
}
const replayMs = performance.now() - t0;
const accepted = store.all().filter((r) => r.status === 'accepted').length;
if (accepted !== dag.txs.length) throw new Error(`only ${accepted} of ${dag.txs.length} accepted`);
const replayRate = rate(dag.txs.length, replayMs);

// Mining: the miner's chunk loop against bare SHA-256 of the same 40-byte pre-image.
const base = sha256(new Uint8Array([1, 2, 3]));
const hashes = 300_000;
const input = powInput(base, 0);
t0 = performance.now();
for (let i = 0; i < hashes; i++) sha256(input);
const shaRate = rate(hashes, performance.now() - t0);
t0 = performance.now();
mineChunk(base, 257, 0, 1, hashes); // target 257 is unreachable: every nonce is tried
const mineRate = rate(hashes, performance.now() - t0);

console.log(`replay            ${fmt(replayRate)} txs/s  (${(replayMs / 1000).toFixed(1)} s)`);
console.log(`raw strict verify ${fmt(verifyRate)} verifies/s`);
console.log(`replay / verify   ${(replayRate / verifyRate).toFixed(2)}  (target ≥ 0.70)`);
console.log(`mining            ${fmt(mineRate)} hashes/s`);
console.log(`raw SHA-256       ${fmt(shaRate)} hashes/s`);
console.log(`mining / SHA-256  ${(mineRate / shaRate).toFixed(2)}  (target ≥ 0.80)`);
