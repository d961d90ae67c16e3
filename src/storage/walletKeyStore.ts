// The wallet's secret keys in IndexedDB. They are read only by the ledger worker, which signs there:
// secret keys never cross to the page or the network. One database for all networks: an address is the
// same on every network.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const WALLET_DB = 'torrenttx-wallet';
export const WALLET_SCHEMA_VERSION = 1;

export interface StoredAccount {
  readonly id: number;
  readonly label: string;
  readonly secretKey: string;
  readonly publicKey: string;
  readonly address: string;
  readonly created: number;
}

export interface WalletKeyStore {
  accounts(): Promise<StoredAccount[]>;
  add(account: Omit<StoredAccount, 'id'>): Promise<StoredAccount>;
}

interface WalletDb extends DBSchema {
  accounts: { key: number; value: StoredAccount };
}

export class IdbWalletKeyStore implements WalletKeyStore {
  private constructor(private readonly db: IDBPDatabase<WalletDb>) {}

  static async open(name = WALLET_DB): Promise<IdbWalletKeyStore> {
    const db = await openDB<WalletDb>(name, WALLET_SCHEMA_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) db.createObjectStore('accounts', { keyPath: 'id', autoIncrement: true });
      },
    });
    return new IdbWalletKeyStore(db);
  }

  accounts(): Promise<StoredAccount[]> {
    return this.db.getAll('accounts');
  }

  async add(account: Omit<StoredAccount, 'id'>): Promise<StoredAccount> {
    const id = await this.db.add('accounts', account as StoredAccount);
    return { ...account, id };
  }
}

export class MemoryWalletKeyStore implements WalletKeyStore {
  private readonly rows: StoredAccount[] = [];

  async accounts(): Promise<StoredAccount[]> {
    return [...this.rows];
  }

  async add(account: Omit<StoredAccount, 'id'>): Promise<StoredAccount> {
    const row = { ...account, id: this.rows.length + 1 };
    this.rows.push(row);
    return row;
  }
}
