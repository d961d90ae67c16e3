// A child process for the crash test: imports a generated DAG into a SQLite ledger file in batches of
// 25, printing "batch N" after each commit, forever from the start (duplicates are fine) until killed.
// Usage: node --import tsx sqliteImportChild.ts FILE SEED
import { Ledger } from '../../src/core/ledger.ts';
import { SqliteLedgerStore } from '../../src/storage/sqliteLedgerStore.ts';
import { DAG_NOW, makeTxDag } from './txDag.ts';

const [path, seed] = process.argv.slice(2);
const dag = makeTxDag(1500, Number(seed));
const store = SqliteLedgerStore.open(path!, dag.network.genesis.id);
const ledger = new Ledger(store, dag.network.params);
for (let batch = 0; ; batch++) {
  const start = (batch * 25) % dag.delivery.length;
  await ledger.receive(dag.delivery.slice(start, start + 25), DAG_NOW);
  process.stdout.write(`batch ${batch}\n`);
}
