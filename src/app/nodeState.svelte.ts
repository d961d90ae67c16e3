// The page's live view of the node: the wallet snapshot and the network status, refreshed when a worker
// says something changed (coalesced to one refresh per animation frame, so bursts do not flood the page).
import { proxy } from 'comlink';
import type { LockStatus } from '../ledger/lockSettings.ts';
import type { WalletSetup } from '../ledger/walletSetup.ts';
import type { WalletSnapshot } from '../ledger/walletSnapshot.ts';
import type { NetworkStatus } from '../net/networkService.ts';
import { OtherTabClosedError } from './followOtherTab.ts';
import type { NodeHandle } from './nodeHandle.ts';

export class NodeState {
  wallet = $state<WalletSnapshot | null>(null);
  network = $state<NetworkStatus | null>(null);
  /** The passphrase lock: whether the wallet is sealed and locked (src/ledger/walletLock.ts). */
  lock = $state<LockStatus | null>(null);
  /** Whether the first-run screen is due and the words are backed up (src/ledger/walletSetup.ts). */
  setup = $state<WalletSetup | null>(null);
  /** How many peers showed they hold each history entry (the wallet's "held by k peers"). */
  heldBy = $state<Record<string, number>>({});
  /** The page's clock, a tick a second: payment countdowns follow it (src/core/paymentState.ts). */
  now = $state(Date.now());
  #pending = false;
  /** Set by stop(): the handle read from was replaced, and its unanswered calls are rejected on purpose. */
  #stopped = false;
  #poll: ReturnType<typeof setInterval>;
  #clock: ReturnType<typeof setInterval>;

  constructor(private readonly node: NodeHandle) {
    void node.ledger.onChange(proxy(() => this.refreshSoon()));
    // Through the node, not node.network: the network worker is replaced after the browser was offline.
    node.onNetworkChange(() => this.refreshSoon());
    // Peers come and go without a ledger change; a slow poll keeps the network panel honest.
    this.#poll = setInterval(() => this.refreshSoon(), 2000);
    this.#clock = setInterval(() => (this.now = Date.now()), 1000);
    this.refreshSoon();
  }

  /** Stops polling (the page shows another node: this tab took over from the one it followed). */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#poll);
    clearInterval(this.#clock);
  }

  refreshSoon(): void {
    if (this.#pending || this.#stopped) return;
    this.#pending = true;
    requestAnimationFrame(() => {
      this.#pending = false;
      // A frame asked for before stop() comes after it: the stopped handle has nothing to say any more.
      if (!this.#stopped) void this.refresh();
    });
  }

  async refresh(): Promise<void> {
    try {
      await this.read();
    } catch (err) {
      // A refresh in flight when the followed tab closed is rejected (src/app/followOtherTab.ts): the
      // state that replaces this one reads from this tab's own node. The follower's calls are rejected
      // when this tab's node has started, which can come before the page stops this state (the two are
      // separate promise reactions), so the error's kind says so too. Any other failure is the page's.
      if (this.#stopped || err instanceof OtherTabClosedError) return;
      throw err;
    }
  }

  private async read(): Promise<void> {
    const [wallet, network, lock, setup] = await Promise.all([
      this.node.ledger.snapshot(),
      this.node.network.status(),
      this.node.ledger.lockStatus(),
      this.node.ledger.walletSetup(),
    ]);
    const heldBy = await this.node.network.heldBy(
      wallet.history.map((entry) => ({ id: entry.id, since: entry.firstSeenAt })),
    );
    // Answers that come after stop() are the replaced handle's: the page shows the new node's.
    if (this.#stopped) return;
    this.heldBy = heldBy;
    this.now = Date.now();
    this.wallet = wallet;
    this.network = network;
    this.lock = lock;
    this.setup = setup;
  }
}
