// For Node nodes (torrenttx node and the Node test peers). webrtc-polyfill (node-datachannel) never dispatches the final
// `icecandidate` event with a null candidate, so simple-peer with `trickle: false` waits its 5 s fallback
// before every offer and answer. Browsers do dispatch it; this restores that behaviour in Node by
// dispatching it when ICE gathering reports `complete`. Import before webtorrent.
import { RTCPeerConnection, RTCPeerConnectionIceEvent } from 'webrtc-polyfill';

const proto = RTCPeerConnection.prototype as unknown as {
  dispatchEvent(event: Event): boolean;
  iceGatheringState: string;
  __ttxEndOfCandidates?: boolean;
};
const original = proto.dispatchEvent;
if (!proto.__ttxEndOfCandidates) {
  proto.__ttxEndOfCandidates = true;
  proto.dispatchEvent = function (this: typeof proto, event: Event): boolean {
    const result = original.call(this, event);
    if (event.type === 'icegatheringstatechange' && this.iceGatheringState === 'complete') {
      const EndEvent = RTCPeerConnectionIceEvent as unknown as new (candidate: null) => Event;
      original.call(this, new EndEvent(null));
    }
    return result;
  };
}
