// A test network whose ledger is a generated payment DAG (bench/generateDag.ts), for tests that need
// thousands of valid transactions: the network, the DAG's bytes, and a store already holding a prefix.
import { sha256 } from '@noble/hashes/sha2.js';
import { Ledger } from '../../src/core/ledger.ts';
import { keyPairOf } from '../../src/core/makeTx.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { generateDag, type GeneratedDag } from '../../bench/generateDag.ts';
import type { TestNetwork } from './testNetwork.ts';

export interface DagNetwork {
  readonly network: TestNetwork;
  /** Every transaction, genesis first, in an order any node could have seen them. */
  readonly txs: Uint8Array[];
}

export function dagNetwork(size: number): DagNetwork {
  return dagNetworkOf(generateDag(size, 50));
}

/** The test network of a generated DAG (bench/dagCache.ts caches big ones). */
export function dagNetworkOf(dag: GeneratedDag): DagNetwork {
  const genesisBytes = dag.txs[0]!;
  const parsed = parseTx(genesisBytes);
  if (!parsed.ok) throw new Error('the generated genesis does not parse');
  const genesis = { tx: parsed.tx, bytes: genesisBytes, id: txIdOf(genesisBytes) };
  // generateDag's first person owns the genesis.
  const owner = keyPairOf(sha256(encodeUtf8('bench-person-0')));
  return { network: { params: { genesisId: genesis.id, powUnit: 1n }, genesis, owner }, txs: dag.txs };
}

/** A memory store that has accepted `txs` (in batches, as a node would have). */
export async function storeHolding(
  network: TestNetwork,
  txs: readonly Uint8Array[],
): Promise<MemoryLedgerStore> {
  const store = new MemoryLedgerStore();
  const ledger = new Ledger(store, network.params);
  for (let i = 0; i < txs.length; i += 500) await ledger.receive(txs.slice(i, i + 500), Date.now());
  return store;
}
