// Caches generated benchmark DAGs under node_modules/.cache: signing 100,000 txs takes about 40 s, and
// the DAG is deterministic, so later runs load it instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDag, type GeneratedDag } from './generateDag.ts';

const CACHE = join(import.meta.dirname, '../node_modules/.cache/torrenttx-bench');

export async function loadOrGenerateDag(size: number): Promise<GeneratedDag> {
  const file = join(CACHE, `dag-${size}.json`);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { genesisId: string; txs: string[] };
    return { genesisId: saved.genesisId, txs: saved.txs.map((text) => new TextEncoder().encode(text)) };
  }
  console.log(`generating a DAG of ${size} txs (cached for later runs)…`);
  const dag = generateDag(size);
  mkdirSync(CACHE, { recursive: true });
  const txs = dag.txs.map((bytes) => new TextDecoder().decode(bytes));
  writeFileSync(file, JSON.stringify({ genesisId: dag.genesisId, txs }));
  return dag;
}
