// The main thread's end of the WebRTC bridge: makes the real RTCPeerConnections a worker's shim
// (src/net/rtcBridge/shim.ts) asks for, answers its signaling requests and relays the connections' events.
// Chromium has RTCPeerConnection on the window only, so this is the one job a worker cannot do itself.
//
// Data channels are moved into the worker: each one is transferred with postMessage in the very task
// that made it (createDataChannel, or the datachannel event of a channel the remote peer opened), the
// only moment Chromium allows. In that 'transfer' mode this thread never sees a byte of channel data.
// Where transfer is impossible (Firefox) or `forceRelay` is set, the channel stays here and its
// traffic is relayed over the port ('relay' mode, relayHost.ts).
//
// Channels are made as the worker asks (label, options, announced in-band unless negotiated), when it
// asks. Pre-making one negotiated channel per connection would also satisfy two bridged peers, but a
// stock WebRTC peer would never learn of it: this way a bridged worker can trade with any of them.
import { candidateOf, errorInfo, infoOf, sdpOf, stateOf, summarizeStats } from './hostSnapshots.ts';
import type {
  RtcBridgeMode,
  RtcHostMessage,
  RtcPcEventType,
  RtcRequestKind,
  RtcRequestResults,
  RtcShimMessage,
} from './protocol.ts';
import { RelayHost } from './relayHost.ts';

export interface RtcBridgeHostOptions {
  /** Overrides what the worker asks for, member by member: the page decides whom the browser contacts. */
  rtcConfig?: RTCConfiguration;
  /** Relay channel traffic through the port even where channels could be transferred (tests, debugging). */
  forceRelay?: boolean;
}

export interface RtcBridgeHostStats {
  /** Messages from the shim other than relayed channel traffic: creating, signaling, closing. */
  readonly signalingCalls: number;
  /** Connection events relayed to the worker (candidates, state changes). */
  readonly eventsRelayed: number;
  readonly channelsTransferred: number;
  readonly channelsRelayed: number;
  /** Channel messages that passed through this thread, both ways; 0 in transfer mode. */
  readonly relayedMessages: number;
  readonly relayedBytes: number;
}

export interface RtcBridgeHost {
  mode(): RtcBridgeMode;
  openConnections(): number;
  stats(): RtcBridgeHostStats;
  /** Closes every connection and the port. */
  close(): void;
}

const PC_EVENTS: readonly RtcPcEventType[] = [
  'icegatheringstatechange',
  'iceconnectionstatechange',
  'connectionstatechange',
  'signalingstatechange',
  'negotiationneeded',
];

let transferSupported: boolean | undefined;

export function startRtcBridgeHost(port: MessagePort, options: RtcBridgeHostOptions = {}): RtcBridgeHost {
  const mode: RtcBridgeMode = options.forceRelay === true || !canTransferChannels() ? 'relay' : 'transfer';
  const connections = new Map<number, RTCPeerConnection>();
  const stats = {
    signalingCalls: 0,
    eventsRelayed: 0,
    channelsTransferred: 0,
    channelsRelayed: 0,
    relayedMessages: 0,
    relayedBytes: 0,
  };
  // Channels the remote peer opens are numbered here, negative, apart from the shim's positive ones.
  let nextAnnounced = -1;
  let closed = false;

  const send = (message: RtcHostMessage, transfer: Transferable[] = []): void =>
    port.postMessage(message, transfer);
  const relays = new RelayHost(send, stats);

  async function answer<K extends RtcRequestKind>(
    id: number,
    pcId: number,
    run: (pc: RTCPeerConnection) => Promise<RtcRequestResults[K]>,
  ): Promise<void> {
    const pc = connections.get(pcId);
    if (pc === undefined) {
      send({
        kind: 'reject',
        id,
        error: { name: 'InvalidStateError', message: `RTCPeerConnection ${pcId} is closed` },
      });
      return;
    }
    try {
      const value = await run(pc);
      send({ kind: 'resolve', id, value, state: connections.has(pcId) ? stateOf(pc) : null });
    } catch (err) {
      send({ kind: 'reject', id, error: errorInfo(err) });
    }
  }

  function create(id: number, pcId: number, config: RTCConfiguration): void {
    let pc: RTCPeerConnection;
    try {
      pc = new RTCPeerConnection({ ...config, ...options.rtcConfig });
    } catch (err) {
      send({ kind: 'reject', id, error: errorInfo(err) });
      return;
    }
    connections.set(pcId, pc);
    pc.addEventListener('icecandidate', (event) => {
      stats.eventsRelayed++;
      const candidate = event.candidate === null ? null : candidateOf(event.candidate);
      send({ kind: 'icecandidate', pc: pcId, candidate, state: stateOf(pc) });
    });
    for (const type of PC_EVENTS) {
      pc.addEventListener(type, () => {
        stats.eventsRelayed++;
        send({ kind: 'pcEvent', pc: pcId, type, state: stateOf(pc) });
      });
    }
    pc.addEventListener('datachannel', (event) => handOver(pcId, nextAnnounced--, event.channel, true));
    send({ kind: 'resolve', id, value: null, state: stateOf(pc) });
  }

  /** Gives the worker a channel made in this very task: transferred if possible, relayed if not. */
  function handOver(pcId: number, ch: number, channel: RTCDataChannel, announced: boolean): void {
    const info = infoOf(channel);
    if (mode === 'transfer') {
      try {
        send({ kind: 'channel', pc: pcId, ch, announced, channel, info }, [channel]);
        stats.channelsTransferred++;
        return;
      } catch (err) {
        // Detected as transferable, yet this one is not: relay it rather than lose the connection.
        if (!(err instanceof DOMException && err.name === 'DataCloneError')) throw err;
      }
    }
    relays.relay(pcId, ch, channel, announced, info);
  }

  function receive(message: RtcShimMessage): void {
    if (closed) return;
    if (!message.kind.startsWith('relay')) stats.signalingCalls++;
    switch (message.kind) {
      case 'create':
        return create(message.id, message.pc, message.config);
      case 'createOffer':
        return void answer(message.id, message.pc, async (pc) => sdpOf(await pc.createOffer()));
      case 'createAnswer':
        return void answer(message.id, message.pc, async (pc) => sdpOf(await pc.createAnswer()));
      case 'setLocalDescription':
        return void answer(message.id, message.pc, async (pc) => {
          await pc.setLocalDescription(message.description ?? undefined);
          return null;
        });
      case 'setRemoteDescription':
        return void answer(message.id, message.pc, async (pc) => {
          await pc.setRemoteDescription(message.description);
          return null;
        });
      case 'addIceCandidate':
        return void answer(message.id, message.pc, async (pc) => {
          await pc.addIceCandidate(message.candidate ?? undefined);
          return null;
        });
      case 'getStats':
        return void answer(message.id, message.pc, async (pc) => summarizeStats(await pc.getStats()));
      case 'createDataChannel': {
        const pc = connections.get(message.pc);
        let channel: RTCDataChannel;
        try {
          if (pc === undefined)
            throw new DOMException(`RTCPeerConnection ${message.pc} is closed`, 'InvalidStateError');
          channel = pc.createDataChannel(message.label, message.init);
        } catch (err) {
          send({ kind: 'channelFailed', pc: message.pc, ch: message.ch, error: errorInfo(err) });
          return;
        }
        return handOver(message.pc, message.ch, channel, false);
      }
      case 'close':
        connections.get(message.pc)?.close();
        connections.delete(message.pc);
        return;
      case 'relaySend':
        return relays.send(message.ch, message.data);
      case 'relayClose':
        return relays.close(message.ch);
      case 'relayThreshold':
        return relays.setThreshold(message.ch, message.threshold);
    }
  }

  port.onmessage = (event: MessageEvent<RtcShimMessage>) => receive(event.data);
  send({ kind: 'hello', mode });

  return {
    mode: () => mode,
    openConnections: () => connections.size,
    stats: () => ({ ...stats }),
    close() {
      if (closed) return;
      closed = true;
      for (const pc of connections.values()) pc.close();
      connections.clear();
      relays.clear();
      port.close();
    },
  };
}

/**
 * Whether this browser can transfer an RTCDataChannel, found once per page by trying: Chromium can,
 * Firefox throws DataCloneError. The probe's connection is never negotiated and costs no network.
 */
function canTransferChannels(): boolean {
  if (transferSupported !== undefined) return transferSupported;
  const pc = new RTCPeerConnection({ iceServers: [] });
  const { port1, port2 } = new MessageChannel();
  try {
    const channel = pc.createDataChannel('transfer-probe', { negotiated: true, id: 0 });
    port1.postMessage(channel, [channel]);
    transferSupported = true;
  } catch (err) {
    if (!(err instanceof DOMException && err.name === 'DataCloneError')) throw err;
    transferSupported = false;
  } finally {
    port1.close();
    port2.close();
    pc.close();
  }
  return transferSupported;
}
