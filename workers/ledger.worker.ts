// Entry point of the ledger worker: the only owner of the ledger (IndexedDB) and the wallet's keys
// (src/ledger/ledgerService.ts). It serves gossip to the network worker over a port of their own.
import { expose, wrap } from 'comlink';
import { Ledger } from '../src/core/ledger.ts';
import { createNetwork, type NewNetworkRequest } from '../src/ledger/createNetwork.ts';
import { ledgerGraph } from '../src/ledger/ledgerGraph.ts';
import { LedgerService, type PaymentRequest, type Publisher } from '../src/ledger/ledgerService.ts';
import { txDetail } from '../src/ledger/txDetail.ts';
import { strictVerifier } from '../src/ledger/webCryptoVerifier.ts';
import { walletAccountsOf, type BackupAnswer } from '../src/ledger/walletAccounts.ts';
import { IdbLedgerStore } from '../src/storage/idbLedgerStore.ts';
import { IdbWalletKeyStore } from '../src/storage/walletKeyStore.ts';

let service: LedgerService | undefined;

function opened(): LedgerService {
  if (!service) throw new Error('the ledger is not open yet');
  return service;
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
  async open(options: LedgerOpen): Promise<string> {
    const network = { genesisId: options.genesisId, powUnit: BigInt(options.powUnit) };
    const store = await IdbLedgerStore.open(options.genesisId);
    service = new LedgerService({
      ledger: new Ledger(store, network, { verify: await strictVerifier(), holdOnlyCoverableFutures: true }),
      store,
      keys: await IdbWalletKeyStore.open(),
      network,
      clock: () => Date.now(),
      randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
    });
    const address = await service.open(options.genesisTx);
    // Held `future` transactions are decided when their time comes, even if nothing else arrives.
    setInterval(() => void service?.tick(), 15_000);
    expose(service.gossip(), options.gossipPort);
    service.setPublisher(wrap<Publisher>(options.publishPort));
    return address;
  },
  snapshot: () => opened().snapshot(),
  submit: async (bytes: Uint8Array) => {
    const record = await opened().submit(bytes);
    return { id: record.id, status: record.status, reason: record.reason ?? null };
  },
  preparePayment: (request: PaymentRequest) => opened().preparePayment(request),
  signPayment: (draftId: number, nonces: (number | null)[]) => opened().signPayment(draftId, nonces),
  cancelPayment: (draftId: number) => opened().cancelPayment(draftId),
  // api:accounts (backup, restore, accounts: added by the accounts work)
  /** The wallet's accounts (no secret keys), which one is active, and whether the backup is done. */
  listAccounts: () => walletAccountsOf(opened()).list(),
  /** Derives the next account from the recovery words and makes it active. */
  addAccount: (label?: string) => walletAccountsOf(opened()).add(label),
  renameAccount: (id: number, label: string) => walletAccountsOf(opened()).rename(id, label),
  switchAccount: (id: number) => walletAccountsOf(opened()).switchTo(id),
  /** The 24 recovery words: call only when the person asks to view the backup. */
  revealRecoveryWords: () => walletAccountsOf(opened()).revealWords(),
  confirmBackup: (answers: BackupAnswer[]) => walletAccountsOf(opened()).confirmBackup(answers),
  /**
   * Replaces this browser's wallet (the page confirms first) with the accounts of the words that the
   * ledger shows in use; account 0 of the words becomes active.
   */
  restoreFromWords: (words: string) => walletAccountsOf(opened()).restore(words),
  /** Adds the accounts of the words past the stored ones that the ledger shows in use (BIP-44 gap limit). */
  discoverAccounts: () => walletAccountsOf(opened()).discover(),
  // api:requests (payment requests)
  // api:details (transaction detail and ledger graph)
  /** Detail of one transaction as the wallet sees it (src/ledger/txDetail.ts); null if unknown. */
  txDetail: (id: string) => txDetail(opened().parts.store, id, opened().currentAccount()),
  /** The DAG within `radius` hops of `centerIds` (the wallet's history), at most 200 nodes. */
  ledgerGraph: (centerIds: string[], radius?: number) =>
    ledgerGraph(opened().parts.store, centerIds, radius, opened().currentAccount()),
  // api:networks (networks and offline)
  /** Makes a genesis paying the active account, signed here; returns the new network's config. */
  createNetwork: (request: NewNetworkRequest) => createNetwork(opened(), request),
  /** Binds a fresh network worker (started again after the browser was offline) to this ledger. */
  connectNetwork: (ports: { gossipPort: MessagePort; publishPort: MessagePort }) => {
    expose(opened().gossip(), ports.gossipPort);
    opened().setPublisher(wrap<Publisher>(ports.publishPort));
  },
  /** The page passes a comlink proxy; it is called whenever the wallet's view may have changed. */
  onChange: (listener: () => void) => {
    opened().onChange(() => void listener());
  },
};

export type LedgerWorkerApi = typeof api;
expose(api);
