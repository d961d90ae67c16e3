// The walletUpgrade test page: the real wallet database (IdbWalletKeyStore, real IndexedDB) under the
// ledger service and its accounts (src/ledger/walletAccounts.ts); the ledger itself is the in-memory
// twin. Exposes `window.walletUpgradeTest`. Each `start` is a new service and a new database
// connection, as a new page load would make. The passphrase lock runs with its real parameters
// (PBKDF2-SHA256, 600,000 iterations) on Chromium's WebCrypto.
import { Ledger } from '../../../src/core/ledger.ts';
import type { KeyPair } from '../../../src/core/makeTx.ts';
import { LedgerService } from '../../../src/ledger/ledgerService.ts';
import type { LockStatus } from '../../../src/ledger/lockSettings.ts';
import { WalletAccounts, type AccountList } from '../../../src/ledger/walletAccounts.ts';
import { MemoryLedgerStore } from '../../../src/storage/memoryLedgerStore.ts';
import { IdbWalletKeyStore, WALLET_SCHEMA_VERSION } from '../../../src/storage/walletKeyStore.ts';
import { makeTestNetwork } from '../../support/testNetwork.ts';

export interface WalletUpgradePageApi {
  /** Writes a database as schema version 1 made it: one `accounts` store with a random-key account. */
  writeVersion1(name: string, account: KeyPair): Promise<void>;
  /** A new service on database `name`: the address it opens with and its account list. */
  start(name: string): Promise<{ address: string; list: AccountList; version: number; stores: string[] }>;
  add(): Promise<AccountList>;
  switchTo(id: number): Promise<AccountList>;
  reveal(): Promise<string[]>;
  restore(words: string): Promise<AccountList>;
  /** Writes a version 2 database as the code before passphrases made it: words in the clear. */
  writeVersion2(name: string, account: KeyPair & { index: number }, mnemonic: string): Promise<void>;
  setPassphrase(passphrase: string): Promise<LockStatus>;
  unlock(passphrase: string): Promise<LockStatus>;
  lockStatus(): Promise<LockStatus>;
  /**
   * Adds an account behind the service's back (as another tab would), then asks the store to seal with
   * the accounts read before: answers the error's name.
   */
  sealStale(name: string): Promise<string>;
  /** Everything database `name` holds, as JSON text, read with plain IndexedDB. */
  storedText(name: string): Promise<string>;
}

const net = makeTestNetwork();
let accounts: WalletAccounts | undefined;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function current(): WalletAccounts {
  if (!accounts) throw new Error('start first');
  return accounts;
}

const api: WalletUpgradePageApi = {
  async writeVersion1(name, account) {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () =>
      open.result.createObjectStore('accounts', { keyPath: 'id', autoIncrement: true });
    const db = await request(open);
    const tx = db.transaction('accounts', 'readwrite');
    await request(tx.objectStore('accounts').add({ label: 'Account 1', ...account, created: 1 }));
    db.close();
  },
  async writeVersion2(name, account, mnemonic) {
    const open = indexedDB.open(name, 2);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('accounts', { keyPath: 'id', autoIncrement: true });
      open.result.createObjectStore('wallet');
    };
    const db = await request(open);
    const tx = db.transaction(['accounts', 'wallet'], 'readwrite');
    await request(tx.objectStore('accounts').add({ label: 'Account 1', ...account, created: 1 }));
    const record = { mnemonic, nextIndex: 1, activeId: 1, backedUp: true };
    await request(tx.objectStore('wallet').put(record, 'wallet'));
    db.close();
  },
  setPassphrase: (passphrase) => current().setPassphrase(passphrase),
  unlock: (passphrase) => current().lock.unlock(passphrase),
  lockStatus: () => current().lock.status(),
  async sealStale(name) {
    const keys = await IdbWalletKeyStore.open(name);
    const record = (await keys.wallet())!;
    const rows = await keys.accounts();
    const { id: _id, ...first } = rows[0]!;
    await keys.add({ ...first, label: 'From another tab', index: 9 });
    try {
      await keys.sealWallet({ ...record, mnemonic: null }, rows);
      return 'sealed';
    } catch (err) {
      return (err as Error).name;
    }
  },
  async storedText(name) {
    const db = await request(indexedDB.open(name));
    const tx = db.transaction(['accounts', 'wallet'], 'readonly');
    const accounts = await request(tx.objectStore('accounts').getAll());
    const wallet = await request(tx.objectStore('wallet').getAll());
    db.close();
    return JSON.stringify({ accounts, wallet });
  },
  async start(name) {
    const store = new MemoryLedgerStore();
    const keys = await IdbWalletKeyStore.open(name);
    const clock = () => Date.now();
    // Zero "randomness": new words are the BIP39 vector for 32 zero bytes.
    const randomBytes = (length: number) => new Uint8Array(length);
    const service = new LedgerService({
      ledger: new Ledger(store, net.params),
      store,
      keys,
      network: net.params,
      clock,
      randomBytes,
      requireUnlockedKey: (account) => current().lock.requireUnlockedKey(account),
    });
    accounts = new WalletAccounts(service, { keys, clock, randomBytes, store });
    const address = await service.open(net.genesis.bytes);
    const db = await request(indexedDB.open(name));
    const shape = { version: db.version, stores: [...db.objectStoreNames].sort() };
    db.close();
    if (shape.version !== WALLET_SCHEMA_VERSION) throw new Error(`version ${shape.version}`);
    return { address, list: await accounts.list(), ...shape };
  },
  add: () => current().add(),
  switchTo: (id) => current().switchTo(id),
  reveal: () => current().revealWords(),
  restore: (words) => current().restore(words),
};

(window as unknown as { walletUpgradeTest: WalletUpgradePageApi }).walletUpgradeTest = api;
