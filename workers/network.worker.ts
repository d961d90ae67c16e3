// Entry point of the network worker: webtorrent peers, trackers and gossip (src/net/networkService.ts).
import { expose } from 'comlink';
import { NetworkService, type NetworkStart } from '../src/net/networkService.ts';

const service = new NetworkService();

const api = {
  start: (options: NetworkStart) => service.start(options),
  status: () => service.status(),
  /** Seeders of a transaction's torrent, as the trackers count them (a scrape). */
  holders: (id: string) => service.holders(id),
  /** How many peers showed they hold each of these transactions (the wallet's "held by k peers"). */
  heldBy: (items: { id: string; since: number }[]) => service.heldBy(items),
  /** The page passes a comlink proxy; it is called (without arguments) whenever the status may have changed. */
  onChange: (listener: () => void) => service.onChange(listener),
};

export type NetworkWorkerApi = typeof api;
expose(api);
