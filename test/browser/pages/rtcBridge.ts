// The rtcBridge test page: starts the WebRTC bridge host on this (main) thread and a module worker
// that runs webtorrent behind the shim, and exposes `window.rtcBridgeTest` for the test to drive.
// `?relay` in the URL makes the host relay channel traffic instead of transferring channels.
//
// Before the host starts, RTCPeerConnection is wrapped so that every data channel that exists on this
// thread gets a message counter: in transfer mode it must stay at 0 (the channels left for the worker
// in the task that made them), in relay mode it counts every message, which shows the counter works.
import { transfer, wrap } from 'comlink';
import { startRtcBridgeHost, type RtcBridgeHostStats } from '../../../src/net/rtcBridge/host.ts';
import type { RtcBridgeMode } from '../../../src/net/rtcBridge/protocol.ts';
import type { FetchResult } from './torrentPeer.ts';
import type { RtcBridgeWorkerApi, WorkerChannelStats } from './rtcBridgeWorker.ts';

export interface RtcBridgePageStats {
  readonly host: RtcBridgeHostStats;
  readonly hostOpenConnections: number;
  /** Message events seen by data channels on this main thread. */
  readonly mainThreadChannelMessages: number;
  readonly worker: WorkerChannelStats;
}

export interface RtcBridgePageApi {
  start(): Promise<{ hostMode: RtcBridgeMode; shimMode: RtcBridgeMode }>;
  seed(name: string, base64: string, trackerUrl: string): Promise<string>;
  fetch(magnetURI: string, trackerUrl: string): Promise<FetchResult>;
  problems(): Promise<string[]>;
  stats(): Promise<RtcBridgePageStats>;
  /** Connections still open on this thread once webtorrent was destroyed (before the bridge closes). */
  leftoverConnections(): Promise<number>;
  destroy(): Promise<void>;
}

function countMainThreadChannelMessages(): () => number {
  let messages = 0;
  const watch = (channel: RTCDataChannel) => channel.addEventListener('message', () => messages++);
  class CountingPeerConnection extends RTCPeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config);
      this.addEventListener('datachannel', (event) => watch(event.channel));
    }
    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init);
      watch(channel);
      return channel;
    }
  }
  globalThis.RTCPeerConnection = CountingPeerConnection;
  return () => messages;
}

const mainThreadChannelMessages = countMainThreadChannelMessages();
const { port1, port2 } = new MessageChannel();
const host = startRtcBridgeHost(port1, {
  rtcConfig: { iceServers: [] },
  forceRelay: new URLSearchParams(location.search).has('relay'),
});
const worker = wrap<RtcBridgeWorkerApi>(
  new Worker(new URL('./rtcBridgeWorker.ts', import.meta.url), { type: 'module', name: 'rtc-bridge-test' }),
);

let leftover = -1;

const api: RtcBridgePageApi = {
  async start() {
    const shimMode = await worker.start(transfer(port2, [port2]));
    return { hostMode: host.mode(), shimMode };
  },
  seed: (name, base64, trackerUrl) => worker.seed(name, base64, trackerUrl),
  fetch: (magnetURI, trackerUrl) => worker.fetch(magnetURI, trackerUrl),
  problems: () => worker.problems(),
  async stats() {
    return {
      host: host.stats(),
      hostOpenConnections: host.openConnections(),
      mainThreadChannelMessages: mainThreadChannelMessages(),
      worker: await worker.channelStats(),
    };
  },
  leftoverConnections: async () => leftover,
  async destroy() {
    await worker.destroyClient();
    // simple-peer closes its connection a task after destroy(); the close notices follow.
    for (let waited = 0; host.openConnections() > 0 && waited < 2000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    leftover = host.openConnections();
    await worker.closeShim();
    host.close();
  },
};

(window as unknown as { rtcBridgeTest: RtcBridgePageApi }).rtcBridgeTest = api;
