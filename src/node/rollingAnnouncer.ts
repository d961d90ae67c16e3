// Keeps every stored accepted transaction findable by desktop clients without a Torrent object per
// transaction: the cold ones (not in the hot set) are announced on a rolling schedule, as bare announces,
// and answered on demand when a client connects (hotSeeds.ts).
//
// Specification:
// - Once per `cycleMs` (ROLL_CYCLE_MS, 15 min: inside the trackers' 20-minute peer time-out, and the
//   DHT's peer stores keep an announce ~30 min), every accepted id that is not hot is announced once:
//   to each HTTP tracker (`GET /announce?info_hash…&port=<tcp>&left=0`, the answer ignored) and to the
//   DHT (`announce_peer` with the TCP port). Hot torrents announce themselves; the browsers' WebSocket
//   trackers get only the hot set (a WebSocket announce would have to answer WebRTC offers).
// - Every `tickMs` it announces the next ceil(count × tickMs / cycleMs) ids, at most
//   MAX_ANNOUNCES_PER_TICK: past that bound the cycle lengthens rather than the rate growing.
// - The id list is read again from the store at the start of each cycle; a tick still running when the
//   next is due makes that one skip. Failures are counted, not retried before the next cycle; so are the
//   announces a tracker answered with a `failure reason` (refused by its limits: not on its record).
export const ROLL_CYCLE_MS = 15 * 60 * 1000;
export const ROLL_TICK_MS = 1000;
export const MAX_ANNOUNCES_PER_TICK = 200;

export interface DhtAnnouncer {
  announce(infoHash: string, port: number, cb?: (err?: Error) => void): void;
}

export interface RollingAnnouncerOptions {
  /** Accepted ids, in any stable order. */
  readonly ids: () => Promise<string[]>;
  /** Ids announced by other means (the hot set, the swarm). */
  readonly skip: (id: string) => boolean;
  readonly httpAnnounceUrls: readonly string[];
  /** This client's peer id, 40 hex characters. */
  readonly peerId: string;
  /** The TCP port peers connect to, once listening. */
  readonly port: () => number | undefined;
  readonly dht?: DhtAnnouncer;
  readonly cycleMs?: number;
  readonly tickMs?: number;
}

/** `%xx` for every byte: a binary infohash or peer id in an announce URL. */
function escapeHex(hex: string): string {
  return hex.replace(/../g, '%$&');
}

export class RollingAnnouncer {
  private ids: string[] = [];
  private next = 0;
  private busy = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly cycleMs: number;
  private readonly tickMs: number;
  /** Announces sent (each tracker and the DHT count one each), and those that failed. */
  sent = 0;
  failed = 0;
  /** Of the failed, the HTTP announces a tracker answered with a failure reason (its limits refused). */
  refused = 0;

  constructor(private readonly options: RollingAnnouncerOptions) {
    this.cycleMs = options.cycleMs ?? ROLL_CYCLE_MS;
    this.tickMs = options.tickMs ?? ROLL_TICK_MS;
    this.timer = setInterval(() => void this.tick(), this.tickMs);
  }

  /** Announces per second this schedule sends for `count` cold ids (the figure the bound caps). */
  ratePerSecond(count: number): number {
    const perTick = Math.min(MAX_ANNOUNCES_PER_TICK, Math.ceil((count * this.tickMs) / this.cycleMs));
    const targets = this.options.httpAnnounceUrls.length + (this.options.dht ? 1 : 0);
    return (perTick * targets * 1000) / this.tickMs;
  }

  private async tick(): Promise<void> {
    const port = this.options.port();
    if (this.busy || port === undefined) return;
    this.busy = true;
    try {
      if (this.next >= this.ids.length) {
        this.ids = await this.options.ids();
        this.next = 0;
      }
      const perTick = Math.min(
        MAX_ANNOUNCES_PER_TICK,
        Math.ceil((this.ids.length * this.tickMs) / this.cycleMs),
      );
      const slice = this.ids.slice(this.next, this.next + perTick).filter((id) => !this.options.skip(id));
      this.next += perTick;
      await Promise.all(slice.map((id) => this.announce(id, port)));
    } finally {
      this.busy = false;
    }
  }

  private async announce(id: string, port: number): Promise<void> {
    const query =
      `info_hash=${escapeHex(id)}&peer_id=${escapeHex(this.options.peerId)}&port=${port}` +
      `&uploaded=0&downloaded=0&left=0&compact=1&numwant=0`;
    const requests = this.options.httpAnnounceUrls.map(async (url) => {
      this.sent++;
      try {
        const response = await fetch(`${url}?${query}`, { signal: AbortSignal.timeout(10_000) });
        const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
        if (body.startsWith('d14:failure reason')) this.refused++;
        if (!response.ok || body.startsWith('d14:failure reason')) this.failed++;
      } catch {
        this.failed++;
      }
    });
    if (this.options.dht) {
      this.sent++;
      this.options.dht.announce(id, port, (err) => {
        if (err) this.failed++;
      });
    }
    await Promise.all(requests);
  }

  destroy(): void {
    clearInterval(this.timer);
  }
}
