// A test network as the full node takes it (the /network.json shape), on a real tracker's URL.
import type { NetworkConfig } from '../../src/core/network.ts';
import type { TestNetwork } from './testNetwork.ts';

export function networkConfigOf(net: TestNetwork, trackers: readonly string[]): NetworkConfig {
  return {
    name: 'test',
    genesisId: net.genesis.id,
    genesisTx: new TextDecoder().decode(net.genesis.bytes),
    powUnit: Number(net.params.powUnit),
    trackers,
    faucet: null,
  };
}
