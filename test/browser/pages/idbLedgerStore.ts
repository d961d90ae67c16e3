// Runs the LedgerStore contract (test/support/ledgerStoreContract.ts) on IdbLedgerStore in real
// IndexedDB, each check on a database of its own, deleted afterwards.
import { deleteDB } from 'idb';
import type { TxRecord } from '../../../src/core/txRecord.ts';
import { IdbLedgerStore, ledgerDbName } from '../../../src/storage/idbLedgerStore.ts';
import { LEDGER_STORE_CONTRACT } from '../../support/ledgerStoreContract.ts';

export interface IdbLedgerStorePageApi {
  /** Runs the named check on a fresh store; null when it holds, else the error's name and message. */
  check(name: string): Promise<string | null>;
  /** Commits a batch whose last record IndexedDB cannot store; says what the store holds afterwards. */
  failedCommit(): Promise<{ error: string; firstRecord: boolean; balance: string; nextArrival: number }>;
}

let databases = 0;

async function withStore<T>(use: (store: IdbLedgerStore) => Promise<T>): Promise<T> {
  const genesisId = `contract-${databases++}-${crypto.randomUUID()}`;
  const store = await IdbLedgerStore.open(genesisId);
  try {
    return await use(store);
  } finally {
    store.close();
    await deleteDB(ledgerDbName(genesisId));
  }
}

const api: IdbLedgerStorePageApi = {
  async check(name) {
    const check = LEDGER_STORE_CONTRACT.find((c) => c.name === name);
    if (!check) return `no check named ${name}`;
    try {
      await withStore((store) => check.run(store));
      return null;
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  },
  failedCommit: () =>
    withStore(async (store) => {
      const good = {
        id: 'a'.repeat(40),
        arrival: 0,
        bytes: null,
        sha256: '',
        tx: null,
        prev: null,
        to: null,
      };
      const records = [
        // Invalid records: they carry no parsed tx (an accepted one always does, and stores rely on it).
        { ...good, status: 'invalid', reason: 'malformed' },
        // A function cannot be cloned into IndexedDB: the put fails, and with it the whole batch.
        {
          ...good,
          id: 'b'.repeat(40),
          arrival: 1,
          status: 'invalid',
          reason: 'malformed',
          detail: (() => 0) as unknown as string,
        },
      ] as TxRecord[];
      let error = 'none';
      try {
        await store.commit({ records, balances: new Map([['ttx1a', 5n]]), meta: { nextArrival: 2 } });
      } catch (err) {
        error = (err as Error).name;
      }
      return {
        error,
        firstRecord: (await store.getTx(good.id)) !== undefined,
        balance: String(await store.getBalance('ttx1a')),
        nextArrival: (await store.getMeta()).nextArrival,
      };
    }),
};

(window as unknown as { idbLedgerStoreTest: IdbLedgerStorePageApi }).idbLedgerStoreTest = api;
