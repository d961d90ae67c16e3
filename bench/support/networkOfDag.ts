// The network config (the /network.json shape) of a generated benchmark DAG, on the given trackers.
import type { NetworkConfig } from '../../src/core/network.ts';
import type { GeneratedDag } from '../generateDag.ts';

export function networkOfDag(dag: GeneratedDag, trackers: readonly string[]): NetworkConfig {
  return {
    name: 'bench',
    genesisId: dag.genesisId,
    genesisTx: new TextDecoder().decode(dag.txs[0]),
    powUnit: 1,
    trackers,
    faucet: null,
  };
}
