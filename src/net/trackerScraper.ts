// Asks a WebSocket tracker how many peers seed given infohashes (a BitTorrent scrape), over a socket of
// its own. The answer tells the wallet how many peers hold a transaction's torrent, and the socket's
// state tells the network panel whether the tracker can be reached. Scrapes go one at a time, since the
// tracker's answer carries no request id. A lost socket is opened again RECONNECT_MS later, by the
// scraper itself, until close(); each change of state is reported to `onState`.

export type TrackerState = 'connecting' | 'open' | 'closed';

export interface Holders {
  /** Peers announced as seeders of the torrent (this node included when it seeds it). */
  readonly seeders: number;
  readonly leechers: number;
}

/** bittorrent-tracker's WebSocket protocol writes infohashes as "binary strings" (one char per byte). */
function hexToBinary(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 2)
    out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

function binaryToHex(binary: string): string {
  return [...binary].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/** How long a lost or refused tracker socket waits before it is opened again. */
export const RECONNECT_MS = 5000;
/**
 * The largest full-scrape answer read (scrapeAll): ~70 characters per swarm with peers, so ~100,000
 * swarms. A larger answer is refused unparsed.
 */
export const MAX_FULL_SCRAPE_CHARS = 8 * 1024 * 1024;

export class TrackerScraper {
  private socket: WebSocket | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    readonly url: string,
    private readonly onState: () => void = () => undefined,
  ) {}

  state(): TrackerState {
    if (!this.socket) return 'closed';
    return this.socket.readyState === WebSocket.OPEN
      ? 'open'
      : this.socket.readyState === WebSocket.CONNECTING
        ? 'connecting'
        : 'closed';
  }

  /** Connects now, so the state can be shown before any scrape; a lost socket then reconnects itself. */
  connect(): void {
    if (this.closed || this.state() !== 'closed' || this.retry !== undefined) return;
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => this.onState());
    // A refused or failed socket fires `error`, then `close`, which schedules the retry.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      if (this.socket !== socket || this.closed) return;
      this.onState();
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.connect();
      }, RECONNECT_MS);
    });
  }

  /** Seeders and leechers per id (40 hex); ids the tracker does not know are left out. */
  scrape(ids: readonly string[], timeoutMs = 5000): Promise<Map<string, Holders>> {
    const run = this.queue.then(() => this.scrapeNow(ids, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A full scrape (no info_hash): every swarm the tracker has with peers, with its seeders and leechers.
   * The project's tracker answers it from a cached snapshot (server/trackerFullScrape.ts).
   */
  scrapeAll(timeoutMs = 15_000): Promise<Map<string, Holders>> {
    const run = this.queue.then(() => this.scrapeNow(null, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async scrapeNow(ids: readonly string[] | null, timeoutMs: number): Promise<Map<string, Holders>> {
    this.connect();
    const socket = this.socket;
    if (!socket) throw new Error(`tracker ${this.url} is not reachable`);
    if (socket.readyState === WebSocket.CONNECTING) {
      await new Promise<void>((resolve, reject) => {
        socket.addEventListener('open', () => resolve(), { once: true });
        socket.addEventListener('error', () => reject(new Error(`tracker ${this.url} is not reachable`)), {
          once: true,
        });
      });
    }
    if (socket.readyState !== WebSocket.OPEN) throw new Error(`tracker ${this.url} is not reachable`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.removeEventListener('message', onMessage);
        reject(new Error(`tracker ${this.url} did not answer the scrape`));
      }, timeoutMs);
      const onMessage = (event: MessageEvent) => {
        let data: { action?: string; files?: Record<string, { complete?: number; incomplete?: number }> };
        const text = String(event.data);
        if (text.length > MAX_FULL_SCRAPE_CHARS) return;
        try {
          data = JSON.parse(text) as typeof data;
        } catch {
          return;
        }
        if (data.action !== 'scrape') return;
        clearTimeout(timer);
        socket.removeEventListener('message', onMessage);
        const out = new Map<string, Holders>();
        for (const [key, file] of Object.entries(data.files ?? {})) {
          out.set(binaryToHex(key), { seeders: file.complete ?? 0, leechers: file.incomplete ?? 0 });
        }
        resolve(out);
      };
      socket.addEventListener('message', onMessage);
      socket.send(
        JSON.stringify(
          ids === null ? { action: 'scrape' } : { action: 'scrape', info_hash: ids.map(hexToBinary) },
        ),
      );
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.socket?.close();
    this.socket = undefined;
  }
}
