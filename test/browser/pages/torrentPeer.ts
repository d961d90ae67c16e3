// One webtorrent client as a test peer: seeds and fetches single files through a tracker, times the
// fetch, and records every error and warning the client or its torrents emit, so that a test can
// fail on them (as bittorrent-tracker's own tests do). Shared by the worker behind the WebRTC bridge
// and by a stock webtorrent on a page's main thread, so both are driven the same way.
import { base64ToBytes, bytesToBase64 } from './base64.ts';

/** The slice of webtorrent's browser client used here (webtorrent ships no types). */
export interface BrowserTorrentFile {
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface BrowserTorrent {
  readonly magnetURI: string;
  readonly discovery?: { tracker?: { update?(): void } } | null;
  readonly files: BrowserTorrentFile[];
  on(event: 'error' | 'warning', listener: (err: Error | string) => void): void;
  once(event: 'done', listener: () => void): void;
}

export interface BrowserWebTorrent {
  seed(input: File, opts: { announce: string[] }, onseed: (torrent: BrowserTorrent) => void): BrowserTorrent;
  add(torrentId: string, opts: { announce: string[] }): BrowserTorrent;
  on(event: 'error' | 'warning', listener: (err: Error | string) => void): void;
  destroy(cb?: (err?: Error | string) => void): void;
}

export type BrowserWebTorrentConstructor = new (opts: {
  tracker: { rtcConfig: { iceServers: [] } };
  dht: false;
  lsd: false;
  utp: false;
  webSeeds: false;
}) => BrowserWebTorrent;

export interface FetchResult {
  readonly base64: string;
  /** From add() to the torrent's `done`. */
  readonly ms: number;
}

export interface TorrentPeer {
  /** Seeds one file; resolves with its magnet URI once it is ready. */
  seed(name: string, base64: string, trackerUrl: string): Promise<string>;
  /** Fetches the first file of a torrent; rejects at the first error or warning on the way. */
  fetch(magnetURI: string, trackerUrl: string): Promise<FetchResult>;
  /** Every error and warning seen so far, as text (but WebRTC connections that failed to form). */
  problems(): string[];
  /** WebRTC connections of fetches that failed to form (each followed by a new announce). */
  connectionFailures(): number;
  destroy(): Promise<void>;
}

/** webtorrent with nothing but WebRTC trackers: no DHT, no local discovery, no uTP, no web seeds. */
export function newBrowserWebTorrent(WebTorrent: BrowserWebTorrentConstructor): BrowserWebTorrent {
  return new WebTorrent({
    tracker: { rtcConfig: { iceServers: [] } },
    dht: false,
    lsd: false,
    utp: false,
    webSeeds: false,
  });
}

/** A WebRTC connection that failed to form (ICE), as webtorrent words its warning. */
function isConnectionFailure(err: Error | string): boolean {
  return String(typeof err === 'string' ? err : err.message).includes('Connection failed');
}

export function torrentPeer(client: BrowserWebTorrent): TorrentPeer {
  const problems: string[] = [];
  let connectionFailures = 0;
  const problemListeners = new Set<(problem: string) => void>();
  const report = (source: string) => (err: Error | string) => {
    const problem = `${source}: ${typeof err === 'string' ? err : err.message}`;
    problems.push(problem);
    for (const listener of problemListeners) listener(problem);
  };
  client.on('error', report('client error'));
  client.on('warning', report('client warning'));

  return {
    seed(name, base64, trackerUrl) {
      return new Promise((resolve) => {
        const file = new File([base64ToBytes(base64)], name);
        const torrent = client.seed(file, { announce: [trackerUrl] }, (ready) => resolve(ready.magnetURI));
        torrent.on('error', report(`seed ${name} error`));
        const problem = report(`seed ${name} warning`);
        torrent.on('warning', (err) => {
          // As for a fetch (below): a WebRTC connection that failed to form is the machine's, not the code's;
          // the fetching side asks the tracker again (CI saw one on the seeding side too).
          if (isConnectionFailure(err)) {
            connectionFailures++;
            return;
          }
          problem(err);
        });
      });
    },

    fetch(magnetURI, trackerUrl) {
      return new Promise((resolve, reject) => {
        const onProblem = (problem: string) => reject(new Error(problem));
        problemListeners.add(onProblem);
        const started = performance.now();
        const torrent = client.add(magnetURI, { announce: [trackerUrl] });
        torrent.on('error', report('fetch error'));
        const problem = report('fetch warning');
        torrent.on('warning', (err) => {
          // One WebRTC connection that failed to form (ICE, on a loaded machine) is not a fault of the
          // code under test: ask the tracker again, as the node does (networkNode.ts), and go on.
          if (isConnectionFailure(err)) {
            connectionFailures++;
            setTimeout(() => torrent.discovery?.tracker?.update?.(), 1000);
            return;
          }
          problem(err);
        });
        torrent.once('done', () => {
          const ms = performance.now() - started;
          problemListeners.delete(onProblem);
          torrent.files[0]!.arrayBuffer().then(
            (buffer) => resolve({ base64: bytesToBase64(new Uint8Array(buffer)), ms }),
            reject,
          );
        });
      });
    },

    problems: () => [...problems],
    connectionFailures: () => connectionFailures,

    destroy() {
      return new Promise((resolve, reject) =>
        client.destroy((err) => (err ? reject(new Error(String(err))) : resolve())),
      );
    },
  };
}
