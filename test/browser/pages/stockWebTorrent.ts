// The stockWebTorrent test page: webtorrent's browser bundle on the main thread with the browser's
// own RTCPeerConnection, as any WebTorrent web app runs it. Tests use it to show that a worker behind
// the WebRTC bridge and an unmodified client can fetch from each other. Exposes `window.stockWebTorrentTest`.
import WebTorrentBundle from 'webtorrent/dist/webtorrent.min.js';
import type { FetchResult } from './torrentPeer.ts';
import { newBrowserWebTorrent, torrentPeer, type BrowserWebTorrentConstructor } from './torrentPeer.ts';

export interface StockWebTorrentPageApi {
  seed(name: string, base64: string, trackerUrl: string): Promise<string>;
  fetch(magnetURI: string, trackerUrl: string): Promise<FetchResult>;
  problems(): Promise<string[]>;
  destroy(): Promise<void>;
}

const peer = torrentPeer(newBrowserWebTorrent(WebTorrentBundle as unknown as BrowserWebTorrentConstructor));

const api: StockWebTorrentPageApi = {
  seed: (name, base64, trackerUrl) => peer.seed(name, base64, trackerUrl),
  fetch: (magnetURI, trackerUrl) => peer.fetch(magnetURI, trackerUrl),
  problems: async () => peer.problems(),
  destroy: () => peer.destroy(),
};

(window as unknown as { stockWebTorrentTest: StockWebTorrentPageApi }).stockWebTorrentTest = api;
