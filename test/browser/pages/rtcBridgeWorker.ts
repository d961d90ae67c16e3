// The worker of the rtcBridge test page: installs the WebRTC shim on the port the page hands it, only
// then imports webtorrent's browser bundle (which takes RTCPeerConnection off the global scope as it
// loads), and runs one webtorrent client as a test peer. It also watches every data channel that
// reaches it, to show where channel traffic is handled.
import { expose } from 'comlink';
import type { RtcBridgeMode } from '../../../src/net/rtcBridge/protocol.ts';
import { installRtcShim, type RtcShim } from '../../../src/net/rtcBridge/shim.ts';
import {
  newBrowserWebTorrent,
  torrentPeer,
  type BrowserWebTorrentConstructor,
  type TorrentPeer,
} from './torrentPeer.ts';

export interface WorkerChannelStats {
  /** Channels that reached this worker, by how they got here. */
  readonly transferred: number;
  readonly relayed: number;
  /** Transferred channels that are the browser's own RTCDataChannel objects. */
  readonly native: number;
  /** Message events on those channels, handled here in the worker. */
  readonly messages: number;
  /** bufferedamountlow events: how often a sender waited for its channel to drain (backpressure). */
  readonly bufferedAmountLow: number;
  readonly openConnections: number;
}

let shim: RtcShim | null = null;
let peer: TorrentPeer | null = null;
const channels = { transferred: 0, relayed: 0, native: 0, messages: 0, bufferedAmountLow: 0 };

function started(): TorrentPeer {
  if (peer === null) throw new Error('start() first');
  return peer;
}

const api = {
  async start(port: MessagePort): Promise<RtcBridgeMode> {
    shim = installRtcShim(port, {
      onChannel(channel, mode) {
        channels[mode === 'transfer' ? 'transferred' : 'relayed']++;
        if (channel instanceof RTCDataChannel) channels.native++;
        channel.addEventListener('message', () => channels.messages++);
        channel.addEventListener('bufferedamountlow', () => channels.bufferedAmountLow++);
      },
    });
    const mode = await shim.ready;
    const { default: WebTorrent } = (await import('webtorrent/dist/webtorrent.min.js')) as unknown as {
      default: BrowserWebTorrentConstructor;
    };
    peer = torrentPeer(newBrowserWebTorrent(WebTorrent));
    return mode;
  },
  seed: (name: string, base64: string, trackerUrl: string) => started().seed(name, base64, trackerUrl),
  fetch: (magnetURI: string, trackerUrl: string) => started().fetch(magnetURI, trackerUrl),
  problems: () => peer?.problems() ?? [],
  channelStats: (): WorkerChannelStats => ({ ...channels, openConnections: shim?.openConnections() ?? 0 }),
  /** Destroys the webtorrent client, which closes every connection it made. */
  destroyClient: async (): Promise<void> => peer?.destroy(),
  closeShim: (): void => shim?.close(),
};

export type RtcBridgeWorkerApi = typeof api;

expose(api);
