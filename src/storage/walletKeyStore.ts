// The wallet's secret keys in IndexedDB. They are read only by the ledger worker, which signs there:
// secret keys never cross to the page or the network. One database for all networks: an address is the
// same on every network.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { WALLET_RECORD_KEY, type WalletRecord } from './walletRecord.ts';

export const WALLET_DB = 'torrenttx-wallet';
// Version 2 adds the `wallet` store (recovery words, active account). Version 1 accounts stay as they
// are: without an `index` they are imported keys, not covered by the recovery words.
export const WALLET_SCHEMA_VERSION = 2;

export interface StoredAccount {
  readonly id: number;
  readonly label: string;
  /** Hex; empty while the wallet is sealed with a passphrase (the key is derived again on unlock). */
  readonly secretKey: string;
  readonly publicKey: string;
  readonly address: string;
  readonly created: number;
  /** Derivation index under the wallet's recovery words; absent for an imported (random) key. */
  readonly index?: number;
}

export interface WalletKeyStore {
  accounts(): Promise<StoredAccount[]>;
  add(account: Omit<StoredAccount, 'id'>): Promise<StoredAccount>;
  /** Replaces a stored account (same id): a new label. */
  update(account: StoredAccount): Promise<void>;
  wallet(): Promise<WalletRecord | undefined>;
  putWallet(record: WalletRecord): Promise<void>;
  /** In one transaction: deletes every account, adds `accounts`, and makes the first one active. */
  replaceWallet(
    record: Omit<WalletRecord, 'activeId'>,
    accounts: Omit<StoredAccount, 'id'>[],
  ): Promise<StoredAccount[]>;
  /**
   * In one transaction: writes `record` and every account of `accounts` (the same ids as stored, new
   * secret key fields). Throws WalletChangedError, writing nothing, if the stored accounts are not
   * exactly those ids (another tab added one meanwhile).
   */
  sealWallet(record: WalletRecord, accounts: readonly StoredAccount[]): Promise<void>;
}

/** The wallet's accounts changed while a passphrase change was being prepared; nothing was written. */
export class WalletChangedError extends Error {
  override readonly name = 'WalletChangedError';
  constructor() {
    super('the wallet changed in another tab meanwhile; nothing was changed, try again');
  }
}

function sameIds(stored: readonly { id: number }[], given: readonly { id: number }[]): boolean {
  const ids = new Set(stored.map((a) => a.id));
  return ids.size === given.length && given.every((a) => ids.has(a.id));
}

interface WalletDb extends DBSchema {
  accounts: { key: number; value: StoredAccount };
  wallet: { key: string; value: WalletRecord };
}

export class IdbWalletKeyStore implements WalletKeyStore {
  private constructor(private readonly db: IDBPDatabase<WalletDb>) {}

  static async open(name = WALLET_DB): Promise<IdbWalletKeyStore> {
    const db = await openDB<WalletDb>(name, WALLET_SCHEMA_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) db.createObjectStore('accounts', { keyPath: 'id', autoIncrement: true });
        if (oldVersion < 2) db.createObjectStore('wallet');
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

  async update(account: StoredAccount): Promise<void> {
    await this.db.put('accounts', account);
  }

  wallet(): Promise<WalletRecord | undefined> {
    return this.db.get('wallet', WALLET_RECORD_KEY);
  }

  async putWallet(record: WalletRecord): Promise<void> {
    await this.db.put('wallet', record, WALLET_RECORD_KEY);
  }

  async replaceWallet(
    record: Omit<WalletRecord, 'activeId'>,
    accounts: Omit<StoredAccount, 'id'>[],
  ): Promise<StoredAccount[]> {
    // One transaction: a closed tab leaves the old wallet or the new one, never a mix of both.
    const tx = this.db.transaction(['accounts', 'wallet'], 'readwrite');
    await tx.objectStore('accounts').clear();
    const added: StoredAccount[] = [];
    for (const account of accounts) {
      added.push({ ...account, id: await tx.objectStore('accounts').add(account as StoredAccount) });
    }
    await tx.objectStore('wallet').put({ ...record, activeId: added[0]?.id ?? null }, WALLET_RECORD_KEY);
    await tx.done;
    return added;
  }

  async sealWallet(record: WalletRecord, accounts: readonly StoredAccount[]): Promise<void> {
    // One transaction: a closed tab or a failure leaves the old record and keys or the new ones, so a
    // wallet is never half sealed. The caller opened the new envelope before calling (walletLock.ts).
    const tx = this.db.transaction(['accounts', 'wallet'], 'readwrite');
    if (!sameIds(await tx.objectStore('accounts').getAll(), accounts)) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new WalletChangedError();
    }
    for (const account of accounts) await tx.objectStore('accounts').put(account);
    await tx.objectStore('wallet').put(record, WALLET_RECORD_KEY);
    await tx.done;
  }
}

export class MemoryWalletKeyStore implements WalletKeyStore {
  private readonly rows: StoredAccount[] = [];
  private record: WalletRecord | undefined;
  private nextId = 1;

  async accounts(): Promise<StoredAccount[]> {
    return [...this.rows];
  }

  async add(account: Omit<StoredAccount, 'id'>): Promise<StoredAccount> {
    const row = { ...account, id: this.nextId++ };
    this.rows.push(row);
    return row;
  }

  async update(account: StoredAccount): Promise<void> {
    const at = this.rows.findIndex((row) => row.id === account.id);
    if (at >= 0) this.rows[at] = account;
  }

  async wallet(): Promise<WalletRecord | undefined> {
    return this.record;
  }

  async putWallet(record: WalletRecord): Promise<void> {
    this.record = record;
  }

  async replaceWallet(
    record: Omit<WalletRecord, 'activeId'>,
    accounts: Omit<StoredAccount, 'id'>[],
  ): Promise<StoredAccount[]> {
    this.rows.length = 0;
    const added = accounts.map((account) => ({ ...account, id: this.nextId++ }));
    this.rows.push(...added);
    this.record = { ...record, activeId: added[0]?.id ?? null };
    return added;
  }

  async sealWallet(record: WalletRecord, accounts: readonly StoredAccount[]): Promise<void> {
    if (!sameIds(this.rows, accounts)) throw new WalletChangedError();
    for (const account of accounts) this.rows[this.rows.findIndex((row) => row.id === account.id)] = account;
    this.record = record;
  }
}
