// The ledger in IndexedDB, through idb: one database per network, named by its genesis id. Every batch
// the ledger decides is written in one readwrite transaction, so a crash or a closed tab leaves either
// the whole batch or none of it. Schema changes go through `upgrade`, keyed by version.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LedgerChanges, LedgerMeta, LedgerStore, TxRecord } from '../core/txRecord.ts';

export const LEDGER_SCHEMA_VERSION = 1;

interface LedgerDb extends DBSchema {
  txs: {
    key: string;
    value: TxRecord;
    indexes: {
      waitingOn: string;
      prev: string;
      dueAt: number;
      to: string;
      key: string;
      arrival: number;
      status: string;
    };
  };
  balances: { key: string; value: { address: string; balance: bigint } };
  meta: { key: string; value: LedgerMeta };
}

export function ledgerDbName(genesisId: string): string {
  return `torrenttx-ledger-${genesisId}`;
}

export class IdbLedgerStore implements LedgerStore {
  private constructor(private readonly db: IDBPDatabase<LedgerDb>) {}

  static async open(genesisId: string): Promise<IdbLedgerStore> {
    const db = await openDB<LedgerDb>(ledgerDbName(genesisId), LEDGER_SCHEMA_VERSION, {
      upgrade(db, oldVersion) {
        // Version 1: records by id with the indexes the ledger queries; balances; a meta row.
        if (oldVersion < 1) {
          const txs = db.createObjectStore('txs', { keyPath: 'id' });
          // Records without the property (waitingOn on non-orphans, dueAt on non-futures, prev on the
          // genesis) are left out of an index, so these indexes hold only what they are asked about.
          txs.createIndex('waitingOn', 'waitingOn');
          txs.createIndex('prev', 'prev');
          txs.createIndex('dueAt', 'dueAt');
          txs.createIndex('to', 'to');
          txs.createIndex('key', 'tx.key'); // what a key has sent: the wallet's history
          txs.createIndex('arrival', 'arrival', { unique: true });
          txs.createIndex('status', 'status'); // counts for the network panel without reading records
          db.createObjectStore('balances', { keyPath: 'address' });
          db.createObjectStore('meta');
        }
      },
    });
    return new IdbLedgerStore(db);
  }

  close(): void {
    this.db.close();
  }

  getTx(id: string): Promise<TxRecord | undefined> {
    return this.db.get('txs', id);
  }

  orphansOf(parentId: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'waitingOn', parentId));
  }

  childrenOf(parentId: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'prev', parentId));
  }

  dueFutures(now: number): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'dueAt', IDBKeyRange.upperBound(now)));
  }

  /** Records sent to `address`, in arrival order (the wallet's view). */
  sentTo(address: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'to', address));
  }

  /** Records signed by `publicKey`, in arrival order. */
  sentBy(publicKey: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'key', publicKey));
  }

  /** Ids of accepted records, oldest first. */
  async acceptedIds(): Promise<string[]> {
    const ids: string[] = [];
    let cursor = await this.db.transaction('txs').store.index('arrival').openCursor();
    while (cursor) {
      if (cursor.value.status === 'accepted') ids.push(cursor.value.id);
      cursor = await cursor.continue();
    }
    return ids;
  }

  /** How many records have each status. */
  async statusCounts(): Promise<Record<string, number>> {
    const statuses = ['accepted', 'conflict', 'invalid', 'orphan', 'future'] as const;
    const counts = await Promise.all(
      statuses.map((status) => this.db.countFromIndex('txs', 'status', status)),
    );
    return Object.fromEntries(statuses.map((status, i) => [status, counts[i]!]));
  }

  count(): Promise<number> {
    return this.db.count('txs');
  }

  async getBalance(address: string): Promise<bigint> {
    return (await this.db.get('balances', address))?.balance ?? 0n;
  }

  async allBalances(): Promise<Map<string, bigint>> {
    const rows = await this.db.getAll('balances');
    return new Map(rows.filter((r) => r.balance !== 0n).map((r) => [r.address, r.balance]));
  }

  async getMeta(): Promise<LedgerMeta> {
    return (await this.db.get('meta', 'ledger')) ?? { nextArrival: 0 };
  }

  async commit(changes: LedgerChanges): Promise<void> {
    const tx = this.db.transaction(['txs', 'balances', 'meta'], 'readwrite');
    const txs = tx.objectStore('txs');
    const balances = tx.objectStore('balances');
    // Requests run in order inside the one transaction; if any fails, the transaction aborts and
    // every write of the batch is rolled back, so Promise.all rejects with nothing half-written.
    // A put can also throw at once (DataCloneError): the requests made before it would still commit,
    // so the transaction is aborted by hand.
    const writes: Promise<unknown>[] = [];
    try {
      for (const record of changes.records) writes.push(txs.put(record));
      for (const [address, balance] of changes.balances) writes.push(balances.put({ address, balance }));
      writes.push(tx.objectStore('meta').put(changes.meta, 'ledger'));
    } catch (err) {
      tx.abort();
      await Promise.allSettled([...writes, tx.done]);
      throw err;
    }
    await Promise.all([...writes, tx.done]);
  }

  private async sorted(records: Promise<TxRecord[]>): Promise<TxRecord[]> {
    return (await records).sort((a, b) => a.arrival - b.arrival);
  }
}
