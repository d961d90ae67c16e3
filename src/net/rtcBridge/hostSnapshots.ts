// Plain-data copies of the host's real WebRTC objects, as the bridge protocol carries them to the
// worker: connection state, descriptions, candidates, channel attributes, the stats simple-peer reads,
// and errors by name.
import type {
  RtcBridgeErrorInfo,
  RtcCandidateInit,
  RtcChannelInfo,
  RtcPcState,
  RtcSdp,
  RtcStatsEntry,
} from './protocol.ts';

/** What simple-peer reads of getStats() to learn the addresses of the selected candidate pair. */
const STATS_TYPES = new Set(['transport', 'candidate-pair', 'local-candidate', 'remote-candidate']);
const STATS_MEMBERS = [
  'selectedCandidatePairId',
  'localCandidateId',
  'remoteCandidateId',
  'state',
  'nominated',
  'selected',
  'address',
  'ip',
  'port',
  'protocol',
  'candidateType',
  'bytesSent',
  'bytesReceived',
  'currentRoundTripTime',
];

const utf8 = new TextEncoder();

export function stateOf(pc: RTCPeerConnection): RtcPcState {
  return {
    signalingState: pc.signalingState,
    iceGatheringState: pc.iceGatheringState,
    iceConnectionState: pc.iceConnectionState,
    connectionState: pc.connectionState,
    localDescription: pc.localDescription && sdpOf(pc.localDescription),
    remoteDescription: pc.remoteDescription && sdpOf(pc.remoteDescription),
  };
}

export function sdpOf(description: RTCSessionDescriptionInit): RtcSdp {
  return { type: description.type, sdp: description.sdp ?? '' };
}

export function candidateOf(candidate: RTCIceCandidate): RtcCandidateInit {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  };
}

export function infoOf(channel: RTCDataChannel): RtcChannelInfo {
  return {
    label: channel.label,
    ordered: channel.ordered,
    protocol: channel.protocol,
    negotiated: channel.negotiated,
    id: channel.id,
    maxRetransmits: channel.maxRetransmits,
    maxPacketLifeTime: channel.maxPacketLifeTime,
    readyState: channel.readyState,
  };
}

export function summarizeStats(report: RTCStatsReport): RtcStatsEntry[] {
  const entries: RtcStatsEntry[] = [];
  report.forEach((stat: RTCStats & Record<string, unknown>) => {
    if (!STATS_TYPES.has(stat.type)) return;
    const entry: Record<string, string | number | boolean> = {
      id: stat.id,
      type: stat.type,
      timestamp: stat.timestamp,
    };
    for (const member of STATS_MEMBERS) {
      const value = stat[member];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        entry[member] = value;
    }
    entries.push(entry as RtcStatsEntry);
  });
  return entries;
}

export function byteLength(data: string | ArrayBuffer | Blob): number {
  if (typeof data === 'string') return utf8.encode(data).byteLength;
  return data instanceof Blob ? data.size : data.byteLength;
}

export function errorInfo(err: unknown): RtcBridgeErrorInfo {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}
