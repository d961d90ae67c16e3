// The networks this device knows (the server's, ones it created, ones it joined by invite) and which one
// it uses, in IndexedDB. Kept on the page side, not in the ledger worker: a config is public data (it is
// what an invite link carries), and the page must pick the network *before* it starts the workers, whose
// ledger database is named by that network's genesis id. Each network's ledger stays in its own database
// (src/storage/idbLedgerStore.ts); this database holds only configs.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NetworkConfig } from '../core/network.ts';

export const NETWORKS_DB = 'torrenttx-networks';
export const NETWORKS_SCHEMA_VERSION = 1;

export class UnknownNetworkError extends Error {
  override readonly name = 'UnknownNetworkError';
}

export interface KnownNetwork {
  readonly config: NetworkConfig;
  /** When this device first saved it (ms). */
  readonly added: number;
  /** When a node last started on it (ms), or 0. */
  readonly lastUsed: number;
}

type NetworkRow = KnownNetwork & { genesisId: string };

interface NetworksDb extends DBSchema {
  networks: { key: string; value: NetworkRow };
  /**
   * `server`: genesis id of the last /network.json, the network to use offline when no choice was made.
   * `chosen`: genesis id the person switched to. Absent means "follow the server", so a devnet that is
   * made anew (a new genesis) is followed rather than leaving the device on the old one.
   */
  settings: { key: 'server' | 'chosen'; value: string };
}

export class KnownNetworks {
  private constructor(private readonly db: IDBPDatabase<NetworksDb>) {}

  static async open(name = NETWORKS_DB): Promise<KnownNetworks> {
    const db = await openDB<NetworksDb>(name, NETWORKS_SCHEMA_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('networks', { keyPath: 'genesisId' });
          db.createObjectStore('settings');
        }
      },
    });
    return new KnownNetworks(db);
  }

  close(): void {
    this.db.close();
  }

  /** Every known network, most recently used first. */
  async list(): Promise<KnownNetwork[]> {
    const rows = await this.db.getAll('networks');
    return rows
      .sort((a, b) => b.lastUsed - a.lastUsed || a.added - b.added)
      .map(({ config, added, lastUsed }) => ({ config, added, lastUsed }));
  }

  async get(genesisId: string): Promise<KnownNetwork | undefined> {
    const row = await this.db.get('networks', genesisId);
    return row && { config: row.config, added: row.added, lastUsed: row.lastUsed };
  }

  /** Saves (or updates: trackers may move) a network's config; keeps when it was added and used. */
  async save(config: NetworkConfig, now = Date.now()): Promise<void> {
    const tx = this.db.transaction('networks', 'readwrite');
    await tx.store.put(rowOf(config, await tx.store.get(config.genesisId), now));
    await tx.done;
  }

  async markUsed(genesisId: string, now = Date.now()): Promise<void> {
    const tx = this.db.transaction('networks', 'readwrite');
    const row = await tx.store.get(genesisId);
    if (row) await tx.store.put({ ...row, lastUsed: now });
    await tx.done;
  }

  /** Saves the server's network and remembers it as the server's, in one transaction. */
  async saveServer(config: NetworkConfig, now = Date.now()): Promise<void> {
    const tx = this.db.transaction(['networks', 'settings'], 'readwrite');
    const networks = tx.objectStore('networks');
    await networks.put(rowOf(config, await networks.get(config.genesisId), now));
    await tx.objectStore('settings').put(config.genesisId, 'server');
    await tx.done;
  }

  serverId(): Promise<string | undefined> {
    return this.db.get('settings', 'server');
  }

  /** The network to start: the one chosen, else the server's (as last fetched). */
  async activeId(): Promise<string | undefined> {
    return (await this.db.get('settings', 'chosen')) ?? (await this.serverId());
  }

  /** Makes `genesisId` the network to start from now on; choosing the server's one follows the server. */
  async choose(genesisId: string): Promise<void> {
    if (!(await this.db.get('networks', genesisId))) {
      throw new UnknownNetworkError(`no saved network has genesis id ${genesisId}`);
    }
    if (genesisId === (await this.serverId())) await this.db.delete('settings', 'chosen');
    else await this.db.put('settings', genesisId, 'chosen');
  }
}

function rowOf(config: NetworkConfig, old: NetworkRow | undefined, now: number): NetworkRow {
  return {
    genesisId: config.genesisId,
    config: { ...config, trackers: [...config.trackers] },
    added: old?.added ?? now,
    lastUsed: old?.lastUsed ?? 0,
  };
}
