// The slice of webtorrent's API the node uses, typed here because webtorrent ships no types. The same
// shapes hold for the Node package and the browser bundle (webtorrent/dist/webtorrent.min.js).
import type { GossipWire } from './txGossip.ts';

export interface TrackerClientLike {
  complete(opts?: Record<string, unknown>): void;
}

export interface TorrentLike {
  readonly infoHash: string;
  readonly magnetURI: string;
  readonly numPeers: number;
  readonly done: boolean;
  readonly discovery?: { tracker?: TrackerClientLike } | null;
  on(event: 'wire', listener: (wire: GossipWire) => void): void;
  on(event: 'error' | 'warning', listener: (err: Error | string) => void): void;
  on(event: 'done' | 'ready', listener: () => void): void;
  once(event: 'done' | 'ready', listener: () => void): void;
  destroy(opts?: unknown, cb?: (err?: Error) => void): void;
}

export interface TorrentAddOptions {
  announce?: string[];
  preloadedStore?: unknown;
  skipVerify?: boolean;
  getAnnounceOpts?: () => Record<string, unknown>;
  store?: unknown;
  /** No DHT and no PEX for this torrent (the info dict, and so the id, stay as they are). */
  private?: boolean;
}

export interface WebTorrentLike {
  /** This client's peer id, 40 hex characters. */
  readonly peerId: string;
  readonly torrents: TorrentLike[];
  add(
    torrentId: Uint8Array | string,
    opts: TorrentAddOptions,
    onTorrent?: (torrent: TorrentLike) => void,
  ): TorrentLike;
  get(torrentId: string): Promise<TorrentLike | null> | TorrentLike | null;
  on(event: 'error' | 'warning', listener: (err: Error | string) => void): void;
  destroy(cb?: (err?: Error) => void): void;
}

export interface WebTorrentOptions {
  dht?: boolean;
  lsd?: boolean;
  utp?: boolean;
  webSeeds?: boolean;
  natUpnp?: boolean;
  natPmp?: boolean;
  tracker?: { rtcConfig?: RTCConfigurationLike; getAnnounceOpts?: () => Record<string, unknown> };
}

export interface RTCConfigurationLike {
  iceServers?: unknown[];
}

export type WebTorrentConstructor = new (opts?: WebTorrentOptions) => WebTorrentLike;
