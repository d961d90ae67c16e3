// Switching networks: remember the choice, then load the page afresh. The workers belong to one node on
// one network (each network's ledger is its own IndexedDB database), and the page starts one node on
// load, so a fresh page is the simplest switch that cannot leave half of the old node running. Any
// invite fragment is dropped on the way, so a reload does not ask to join again.
import type { KnownNetworks } from './knownNetworks.ts';
import type { NetworkConfig } from '../core/network.ts';

export async function switchNetwork(known: KnownNetworks, genesisId: string): Promise<void> {
  await known.choose(genesisId);
  location.replace(`${location.pathname}${location.search}`);
}

/** Saves a network (from an invite) and switches to it. */
export async function joinNetwork(known: KnownNetworks, config: NetworkConfig): Promise<void> {
  await known.save(config);
  await switchNetwork(known, config.genesisId);
}
