// Entry point of the ledger worker: the only owner of the ledger (IndexedDB) and the wallet's keys
// (src/ledger/ledgerService.ts). It serves gossip to the network worker over a port of their own.
import { expose, wrap } from 'comlink';
import { Ledger } from '../src/core/ledger.ts';
import { bytesToHex } from '../src/core/hex.ts';
import { createNetwork, type NewNetworkRequest } from '../src/ledger/createNetwork.ts';
import { ledgerGraph } from '../src/ledger/ledgerGraph.ts';
import { LedgerService, type PaymentRequest, type Publisher } from '../src/ledger/ledgerService.ts';
import { holdLedgerWriterLock } from '../src/ledger/ledgerWriterLock.ts';
import { txDetail } from '../src/ledger/txDetail.ts';
import { strictVerifier } from '../src/ledger/webCryptoVerifier.ts';
import { WalletAccounts, type BackupAnswer } from '../src/ledger/walletAccounts.ts';
import { IdbLedgerStore } from '../src/storage/idbLedgerStore.ts';
import { IdbWalletKeyStore, type StoredAccount } from '../src/storage/walletKeyStore.ts';

/** What the api serves once open: each call gets the one part it needs, never the service's insides. */
interface Opened {
  readonly service: LedgerService;
  readonly store: IdbLedgerStore;
  readonly accounts: WalletAccounts;
}

let node: Opened | undefined;
const clock = () => Date.now();

function opened(): Opened {
  if (!node) throw new Error('the ledger is not open yet');
  return node;
}

export interface LedgerOpen {
  readonly genesisId: string;
  readonly genesisTx: Uint8Array;
  readonly powUnit: number;
  /** The network worker wraps this port as its GossipLedger. */
  readonly gossipPort: MessagePort;
  /** The network worker exposes `publish` on the other end. */
  readonly publishPort: MessagePort;
}

const api = {
  /**
   * Opens the network's ledger once this worker is its one writer in the browser profile
   * (src/ledger/ledgerWriterLock.ts). If another tab writes it, `onWaiting` is called and this waits
   * until that tab closes.
   */
  async open(options: LedgerOpen, onWaiting?: () => void): Promise<string> {
    await holdLedgerWriterLock(navigator.locks, options.genesisId, () => void onWaiting?.());
    const network = { genesisId: options.genesisId, powUnit: BigInt(options.powUnit) };
    // Independent, so together: a reload shows the balance after the slowest of the three.
    const [store, keys, verify] = await Promise.all([
      IdbLedgerStore.open(options.genesisId),
      IdbWalletKeyStore.open(),
      strictVerifier(),
    ]);
    const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));
    const service = new LedgerService({
      ledger: new Ledger(store, network, { verify, holdOnlyCoverableFutures: true }),
      store,
      keys,
      network,
      clock,
      randomBytes,
      // The passphrase lock (src/ledger/walletLock.ts) holds the keys of a sealed wallet.
      requireUnlockedKey: (account: StoredAccount) => opened().accounts.lock.requireUnlockedKey(account),
      settled: store,
    });
    node = { service, store, accounts: new WalletAccounts(service, { keys, clock, randomBytes, store }) };
    const address = await service.open(options.genesisTx);
    // Held `future` transactions are decided when their time comes, even if nothing else arrives.
    setInterval(() => void service.tick(), 15_000);
    expose(service.gossip(), options.gossipPort);
    service.setPublisher(wrap<Publisher>(options.publishPort));
    return address;
  },
  snapshot: () => opened().service.snapshot(),
  /** The page found these payments settled: they show settled from now on, after a reload too. */
  noteSettled: (ids: string[]) => opened().service.noteSettled(ids),
  submit: async (bytes: Uint8Array) => {
    const record = await opened().service.submit(bytes);
    return { id: record.id, status: record.status, reason: record.reason ?? null };
  },
  preparePayment: (request: PaymentRequest) => opened().service.preparePayment(request),
  signPayment: (draftId: number, nonces: (number | null)[]) => opened().service.signPayment(draftId, nonces),
  cancelPayment: (draftId: number) => opened().service.cancelPayment(draftId),
  /** The wallet's accounts (no secret keys), which one is active, and whether the backup is done. */
  listAccounts: () => opened().accounts.list(),
  /** Derives the next account from the recovery words and makes it active. */
  addAccount: (label?: string) => opened().accounts.add(label),
  renameAccount: (id: number, label: string) => opened().accounts.rename(id, label),
  switchAccount: (id: number) => opened().accounts.switchTo(id),
  /** Whether the first-run screen is due, and whether the recovery words are backed up. */
  walletSetup: () => opened().accounts.setup(),
  /** "Create a new wallet" on the first-run screen: keeps the wallet made at the first open. */
  keepNewWallet: () => opened().accounts.keepNewWallet(),
  /** The 24 recovery words: call only when the person asks to view the backup. */
  revealRecoveryWords: () => opened().accounts.revealWords(),
  confirmBackup: (answers: BackupAnswer[]) => opened().accounts.confirmBackup(answers),
  /**
   * Replaces this browser's wallet (the page confirms first) with the accounts of the words that the
   * ledger shows in use; account 0 of the words becomes active. A `passphrase` seals the new wallet.
   */
  restoreFromWords: (words: string, passphrase?: string) => opened().accounts.restore(words, passphrase),
  /** Whether a passphrase seals the wallet, whether it is locked here, and the auto-lock time. */
  lockStatus: () => opened().accounts.lock.status(),
  /**
   * The passphrase calls carry the typed passphrase here and nowhere else; the derived key and the
   * unlocked secrets stay in this worker (src/ledger/walletLock.ts).
   */
  setPassphrase: (passphrase: string) => opened().accounts.setPassphrase(passphrase),
  changePassphrase: (current: string, next: string) => opened().accounts.lock.changePassphrase(current, next),
  removePassphrase: (current: string) => opened().accounts.lock.removePassphrase(current),
  unlock: (passphrase: string) => opened().accounts.lock.unlock(passphrase),
  lock: () => opened().accounts.lock.lock(),
  setAutoLock: (minutes: number) => opened().accounts.lock.setAutoLock(minutes),
  /** The person used the page: the auto-lock counts from now. */
  noteUse: () => opened().accounts.lock.noteUse(),
  /** Adds the accounts of the words past the stored ones that the ledger shows in use (BIP-44 gap limit). */
  discoverAccounts: () => opened().accounts.discover(),
  /** Detail of one transaction as the wallet sees it (src/ledger/txDetail.ts); null if unknown. */
  txDetail: (id: string) => txDetail(opened().store, id, opened().service.currentAccount()),
  /** The DAG within `radius` hops of `centerIds` (the wallet's history), at most 200 nodes. */
  ledgerGraph: (centerIds: string[], radius?: number) =>
    ledgerGraph(opened().store, centerIds, radius, opened().service.currentAccount()),
  /** Makes a genesis paying the active account, signed here; returns the new network's config. */
  createNetwork: (request: NewNetworkRequest) => {
    const account = opened().service.currentAccount();
    const secretKey = bytesToHex(opened().accounts.lock.requireUnlockedKey(account));
    return createNetwork({ ...account, secretKey }, clock(), request);
  },
  /** Binds a fresh network worker (started again after the browser was offline) to this ledger. */
  connectNetwork: (ports: { gossipPort: MessagePort; publishPort: MessagePort }) => {
    expose(opened().service.gossip(), ports.gossipPort);
    opened().service.setPublisher(wrap<Publisher>(ports.publishPort));
  },
  /** The page passes a comlink proxy; it is called whenever the wallet's view may have changed. */
  onChange: (listener: () => void) => {
    opened().service.onChange(() => void listener());
  },
};

export type LedgerWorkerApi = typeof api;
expose(api);
