// Whether this node can reach anyone, for the offline notice. Two different situations get two answers:
// the node cannot make requests at all (the browser says it is offline, or the page's own requests fail at
// the network level: nothing will connect until that changes), or it can, but has had no gossip peer for a
// while (nobody else is on the network, or the trackers are unreachable). A node that has just started and
// has no peer *yet* is neither: it is still looking.
// navigator.onLine alone is not enough: some Chromium builds report `true` on a page loaded while offline
// (the emulated offline state does not survive a new document), and a captive or dead network says
// `true` too. So a page whose first request failed counts as offline until a probe gets through (or the
// browser fires `online`), and then the node is told the network is back. Each failed probe is an error
// line in the console, so probes are made when one can succeed: after the browser's `online`, and while
// the node's tracker answers or a peer is connected, backing off (src/app/probeBackoff.ts); otherwise the
// node's own tracker reconnects are the check, with one probe every few minutes as the fallback. None is
// made while the browser says it is offline.
// Either way the wallet shows what IndexedDB holds, and payments made meanwhile are stored as accepted
// and offered to every peer that connects later (the gossip inventory, src/net/txGossip.ts).

export type ConnectivityState = 'offline' | 'no-peers' | 'looking' | 'connected';

/** How long without a peer before "looking" becomes "no peers": past one lonely re-announce (15 s). */
export const NO_PEERS_AFTER_MS = 20_000;
import { PROBE_QUIET_MS, probeDelayMs } from './probeBackoff.ts';

export interface Reachability {
  /** One cheap request to the page's server: resolves true when it got any answer. */
  readonly probe: () => Promise<boolean>;
  /** Called once requests get through again after failing. */
  readonly onReachable: () => void;
}

/** A probe of the app's own server: any HTTP answer means the network is there. */
export async function probeServer(url = '/network.json'): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

export class Connectivity {
  online = $state(navigator.onLine);
  /** The page's requests fail even though the browser may say it is online. */
  unreachable = $state(false);
  #peers = $state(0);
  /** Since when (ms) the node has had no peer; null while it has some. */
  #alone = $state<number | null>(Date.now());
  #now = $state(Date.now());
  readonly #timer: ReturnType<typeof setInterval>;
  #probing: ReturnType<typeof setTimeout> | undefined;
  /** Probes that failed since probing (re)started: how long the next wait is. */
  #failedProbes = 0;
  #reachability: Reachability | undefined;
  /** The node's tracker answered its announce: requests get out, so a probe can succeed. */
  #trackerAnswered = false;
  readonly #onOnline = () => {
    this.online = true;
    if (!this.unreachable) return;
    // The browser saw the network come back: probe now, and start the backoff again.
    this.#failedProbes = 0;
    void this.#probe();
  };
  readonly #onOffline = () => (this.online = false);

  constructor(private readonly graceMs = NO_PEERS_AFTER_MS) {
    addEventListener('online', this.#onOnline);
    addEventListener('offline', this.#onOffline);
    this.#timer = setInterval(() => (this.#now = Date.now()), 1000);
  }

  /**
   * The page's first request failed at the network level (src/app/activeNetwork.ts): count as offline
   * and probe, less and less often (probeDelayMs), until a request gets through.
   */
  unreachableUntilProbed(reachability: Reachability): void {
    this.#reachability = reachability;
    this.unreachable = true;
    this.#failedProbes = 0;
    this.#scheduleProbe();
  }

  /** Something says the network is there: a probe can succeed. */
  get #networkSigns(): boolean {
    return this.#trackerAnswered || this.#peers > 0;
  }

  #scheduleProbe(): void {
    clearTimeout(this.#probing);
    const wait = this.#networkSigns ? probeDelayMs(this.#failedProbes) : PROBE_QUIET_MS;
    this.#probing = setTimeout(() => void this.#probe(), wait);
  }

  /** A sign of the network came (it had none): probe now, and back off from the start if that fails. */
  #signCame(): void {
    if (!this.unreachable || this.#reachability === undefined) return;
    this.#failedProbes = 0;
    void this.#probe();
  }

  async #probe(): Promise<void> {
    clearTimeout(this.#probing);
    if (!this.unreachable) return;
    // A request made while the browser says it is offline fails for sure, and logs an error: wait, and
    // let the `online` event probe.
    const reached = navigator.onLine && (await this.#reachability!.probe());
    if (!this.unreachable) return; // another probe got there first
    if (!reached) {
      this.#failedProbes++;
      this.#scheduleProbe();
      return;
    }
    this.unreachable = false;
    this.#reachability!.onReachable();
  }

  /** Feeds the network worker's peer count (the page polls it; src/app/nodeState.svelte.ts). */
  setPeers(peers: number): void {
    const signsBefore = this.#networkSigns;
    if (peers > 0) this.#alone = null;
    else if (this.#peers > 0 || this.#alone === null) this.#alone = Date.now();
    this.#peers = peers;
    if (!signsBefore && this.#networkSigns) this.#signCame();
  }

  /** Feeds whether any of the node's trackers answered its announce (src/ui/connectivityText.ts). */
  setTrackerAnswered(answered: boolean): void {
    const signsBefore = this.#networkSigns;
    this.#trackerAnswered = answered;
    if (!signsBefore && this.#networkSigns) this.#signCame();
  }

  state: ConnectivityState = $derived.by(() => {
    // Peers are the truth: navigator.onLine can say false where only a local network exists (a devnet
    // on a machine without a default route) while peers are connected over it.
    if (this.#peers > 0) return 'connected';
    if (!this.online || this.unreachable) return 'offline';
    return this.#alone !== null && this.#now - this.#alone >= this.graceMs ? 'no-peers' : 'looking';
  });

  close(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#probing);
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
  }
}
