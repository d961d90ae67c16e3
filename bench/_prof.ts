import { Ledger } from '/work/wt/ledger/src/core/ledger.ts';
import { strictVerifier } from '/work/wt/ledger/src/ledger/webCryptoVerifier.ts';
import { MemoryLedgerStore } from '/work/wt/ledger/src/storage/memoryLedgerStore.ts';
import { loadOrGenerateDag } from '/work/wt/ledger/bench/dagCache.ts';
const dag = await loadOrGenerateDag(2000);
for (const verify of [await strictVerifier(), () => true]) {
  const store = new MemoryLedgerStore();
  const ledger = new Ledger(store, { genesisId: dag.genesisId, powUnit: 1n }, { verify });
  const t0 = performance.now();
  for (let i = 0; i < dag.txs.length; i += 500) await ledger.receive(dag.txs.slice(i, i + 500), Date.now());
  console.log((dag.txs.length / (performance.now() - t0)) * 1000, 'tx/s');
}
