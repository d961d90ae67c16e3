// `npm run bench:node`: the full node (src/node/openFullNode.ts) on a generated DAG (default 100,000 txs):
//  1. --import throughput (ledger + SQLite, IMPORT_BATCH per transaction) in txs/s next to raw strict
//     Ed25519 verifies/s on the same transactions, measured in this run. Target ratio ≥ 0.7.
//  2. The database's bytes per transaction (ledger.sqlite and its WAL).
//  3. Resident memory with the whole ledger stored and seeded: the hot set of HOT_TORRENTS torrents
//     active, every other accepted tx answered on demand; and the memory per extra hot torrent.
// No tracker and no DHT: nothing leaves the machine. Usage: npm run bench:node [-- --size N] [--hot N]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HOT_TORRENTS } from '../src/node/hotSeeds.ts';
import { openFullNode } from '../src/node/openFullNode.ts';
import { loadOrGenerateDag } from './dagCache.ts';
import { rawVerifyRate } from './rawVerifyRate.ts';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '100000' }, hot: { type: 'string', default: '2000' } },
});
const size = Number(values.size);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const dag = await loadOrGenerateDag(size);
const verifyRate = rawVerifyRate(dag.txs);

async function run(hotTorrents: number): Promise<{ importRate?: number; bytesPerTx?: number; rss: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'torrenttx-bench-node-'));
  try {
    const network = {
      name: 'bench',
      genesisId: dag.genesisId,
      genesisTx: new TextDecoder().decode(dag.txs[0]),
      powUnit: 1,
      trackers: [],
      faucet: null,
    };
    const full = await openFullNode({ network, dataDir, dht: false, hotTorrents });
    const t0 = performance.now();
    await full.importLines(dag.txs);
    const importRate = (dag.txs.length / (performance.now() - t0)) * 1000;
    const { accepted } = await full.status();
    if (accepted !== dag.txs.length) throw new Error(`only ${accepted} of ${dag.txs.length} accepted`);
    const path = join(dataDir, 'ledger.sqlite');
    const bytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    await full.start();
    globalThis.gc?.();
    const rss = process.memoryUsage().rss;
    await full.close();
    return { importRate, bytesPerTx: bytes / dag.txs.length, rss };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const first = await run(HOT_TORRENTS);
console.log(`DAG: ${fmt(dag.txs.length)} txs`);
console.log(`import            ${fmt(first.importRate!)} txs/s (ledger + SQLite, one transaction per 1,000)`);
console.log(`raw strict verify ${fmt(verifyRate)} verifies/s`);
console.log(`import / verify   ${(first.importRate! / verifyRate).toFixed(2)}  (target ≥ 0.70)`);
console.log(`database          ${fmt(first.bytesPerTx!)} bytes per tx`);
console.log(
  `resident memory   ${mb(first.rss)} with ${fmt(size)} txs stored, ${HOT_TORRENTS} hot  (target ≤ 500 MB)`,
);
const hot = Number(values.hot);
// A second import with a larger hot set prices one more active torrent (skipped with --hot 0).
const bigger = hot > HOT_TORRENTS ? await run(hot) : undefined;
if (bigger)
  console.log(
    `per hot torrent   ${fmt((bigger.rss - first.rss) / (hot - HOT_TORRENTS) / 1024)} KB  (${mb(bigger.rss)} with ${fmt(hot)} hot)`,
  );
