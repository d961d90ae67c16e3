// The rtcShimLoopback test page: a bridge host on this thread and a worker that connects two shimmed
// RTCPeerConnections to each other. Exposes `window.rtcShimLoopbackTest`; `?relay` forces relay mode.
import { transfer, wrap } from 'comlink';
import { startRtcBridgeHost, type RtcBridgeHostStats } from '../../../src/net/rtcBridge/host.ts';
import type { RtcBridgeMode } from '../../../src/net/rtcBridge/protocol.ts';
import type { LoopbackResult, RtcShimLoopbackWorkerApi } from './rtcShimLoopbackWorker.ts';

export interface RtcShimLoopbackPageApi {
  start(): Promise<RtcBridgeMode>;
  loopback(count: number, size: number): Promise<LoopbackResult>;
  host(): Promise<{ openConnections: number; stats: RtcBridgeHostStats }>;
  close(): Promise<void>;
}

const { port1, port2 } = new MessageChannel();
const host = startRtcBridgeHost(port1, {
  rtcConfig: { iceServers: [] },
  forceRelay: new URLSearchParams(location.search).has('relay'),
});
const worker = wrap<RtcShimLoopbackWorkerApi>(
  new Worker(new URL('./rtcShimLoopbackWorker.ts', import.meta.url), { type: 'module' }),
);

const api: RtcShimLoopbackPageApi = {
  start: () => worker.start(transfer(port2, [port2])),
  loopback: (count, size) => worker.loopback(count, size),
  host: async () => ({ openConnections: host.openConnections(), stats: host.stats() }),
  async close() {
    await worker.close();
    host.close();
  },
};

(window as unknown as { rtcShimLoopbackTest: RtcShimLoopbackPageApi }).rtcShimLoopbackTest = api;
