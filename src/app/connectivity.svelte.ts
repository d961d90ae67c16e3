// Whether this node can reach anyone, for the offline notice. Two different situations get two answers:
// the browser says it is offline (navigator.onLine false: nothing will connect until it is back), or it
// is online but has had no gossip peer for a while (nobody else is on the network, or the trackers are
// unreachable). A node that has just started and has no peer *yet* is neither: it is still looking.
// Either way the wallet shows what IndexedDB holds, and payments made meanwhile are stored as accepted
// and offered to every peer that connects later (the gossip inventory, src/net/txGossip.ts).

export type ConnectivityState = 'offline' | 'no-peers' | 'looking' | 'connected';

/** How long without a peer before "looking" becomes "no peers": past one lonely re-announce (15 s). */
export const NO_PEERS_AFTER_MS = 20_000;

export class Connectivity {
  online = $state(navigator.onLine);
  #peers = $state(0);
  /** Since when (ms) the node has had no peer; null while it has some. */
  #alone = $state<number | null>(Date.now());
  #now = $state(Date.now());
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #onOnline = () => (this.online = true);
  readonly #onOffline = () => (this.online = false);

  constructor(private readonly graceMs = NO_PEERS_AFTER_MS) {
    addEventListener('online', this.#onOnline);
    addEventListener('offline', this.#onOffline);
    this.#timer = setInterval(() => (this.#now = Date.now()), 1000);
  }

  /** Feeds the network worker's peer count (the page polls it; src/app/nodeState.svelte.ts). */
  setPeers(peers: number): void {
    if (peers > 0) this.#alone = null;
    else if (this.#peers > 0 || this.#alone === null) this.#alone = Date.now();
    this.#peers = peers;
  }

  state: ConnectivityState = $derived.by(() => {
    // Peers are the truth: navigator.onLine can say false where only a local network exists (a devnet
    // on a machine without a default route) while peers are connected over it.
    if (this.#peers > 0) return 'connected';
    if (!this.online) return 'offline';
    return this.#alone !== null && this.#now - this.#alone >= this.graceMs ? 'no-peers' : 'looking';
  });

  close(): void {
    clearInterval(this.#timer);
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
  }
}
