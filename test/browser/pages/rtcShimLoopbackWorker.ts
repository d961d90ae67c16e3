// The worker of the rtcShimLoopback test page: uses the shimmed RTCPeerConnection directly, the way a
// WebRTC app would rather than the way webtorrent does. Two connections in this one worker meet by
// trickled ICE candidates (addIceCandidate, which webtorrent's trickle-less trackers never use), one
// opens an in-band channel, the other receives it by `datachannel`, and numbered messages cross under
// bufferedAmount backpressure; then one side closes and the other must see its channel close.
import { expose } from 'comlink';
import type { RtcBridgeMode } from '../../../src/net/rtcBridge/protocol.ts';
import { installRtcShim, type RtcShim } from '../../../src/net/rtcBridge/shim.ts';

export interface LoopbackResult {
  readonly remoteLabel: string;
  /** Messages that arrived, and whether each carried the next number in order with all its bytes. */
  readonly received: number;
  readonly inOrder: boolean;
  /** How often the sender waited for bufferedamountlow. */
  readonly waits: number;
  readonly candidateTypes: string[];
  readonly statsTypes: string[];
  readonly selectedPair: boolean;
  readonly states: { signaling: string; ice: string; connection: string };
  readonly remoteCloseSeen: boolean;
  readonly openConnectionsAfterClose: number;
}

const THRESHOLD = 64 * 1024;
let shim: RtcShim | null = null;

function once<T extends Event>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) =>
    target.addEventListener(type, (event) => resolve(event as T), { once: true }),
  );
}

async function loopback(count: number, size: number): Promise<LoopbackResult> {
  const a = new RTCPeerConnection({ iceServers: [] });
  const b = new RTCPeerConnection({ iceServers: [] });
  const candidateTypes = new Set<string>();
  a.onicecandidate = (event) => {
    if (event.candidate === null) return;
    candidateTypes.add(event.candidate.type ?? 'unparsed');
    void b.addIceCandidate(new RTCIceCandidate(event.candidate.toJSON()));
  };
  b.onicecandidate = (event) => {
    if (event.candidate !== null) void a.addIceCandidate(event.candidate.toJSON());
  };

  const channel = a.createDataChannel('loopback', { ordered: true });
  channel.bufferedAmountLowThreshold = THRESHOLD;
  const announced = once<RTCDataChannelEvent>(b, 'datachannel');
  const opened = once(channel, 'open');
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(new RTCSessionDescription(a.localDescription!.toJSON()));
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  const remote = (await announced).channel;
  await opened;

  let received = 0;
  let inOrder = true;
  const allReceived = new Promise<void>((resolve) => {
    remote.binaryType = 'arraybuffer';
    remote.onmessage = (event: MessageEvent<ArrayBuffer>) => {
      const view = new DataView(event.data);
      if (event.data.byteLength !== size || view.getUint32(0) !== received) inOrder = false;
      if (++received === count) resolve();
    };
  });
  let waits = 0;
  for (let i = 0; i < count; i++) {
    if (channel.bufferedAmount > THRESHOLD) {
      waits++;
      await once(channel, 'bufferedamountlow');
    }
    const message = new Uint8Array(size);
    new DataView(message.buffer).setUint32(0, i);
    channel.send(message);
  }
  await allReceived;

  const stats = await a.getStats();
  const statsTypes = new Set<string>();
  let selectedPair = false;
  stats.forEach((report: RTCStats & { selectedCandidatePairId?: string }) => {
    statsTypes.add(report.type);
    if (report.type === 'transport' && report.selectedCandidatePairId) selectedPair = true;
  });
  const states = { signaling: a.signalingState, ice: a.iceConnectionState, connection: a.connectionState };

  const remoteClosed = once(remote, 'close');
  a.close();
  const remoteCloseSeen = await Promise.race([
    remoteClosed.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000)),
  ]);
  b.close();
  return {
    remoteLabel: remote.label,
    received,
    inOrder,
    waits,
    candidateTypes: [...candidateTypes],
    statsTypes: [...statsTypes].sort(),
    selectedPair,
    states,
    remoteCloseSeen,
    openConnectionsAfterClose: shim?.openConnections() ?? -1,
  };
}

const api = {
  start(port: MessagePort): Promise<RtcBridgeMode> {
    shim = installRtcShim(port);
    return shim.ready;
  },
  loopback,
  close: () => shim?.close(),
};

export type RtcShimLoopbackWorkerApi = typeof api;

expose(api);
