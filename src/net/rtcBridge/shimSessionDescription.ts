// RTCSessionDescription for workers, where the browser has none: webtorrent's WebRTC layer
// (simple-peer) wraps every remote description in `new RTCSessionDescription(data)`.
import type { RtcSdp, RtcSdpType } from './protocol.ts';

export class RtcShimSessionDescription implements RtcSdp {
  readonly type: RtcSdpType;
  readonly sdp: string;

  constructor(init: { type: RtcSdpType; sdp?: string }) {
    this.type = init.type;
    this.sdp = init.sdp ?? '';
  }

  toJSON(): RtcSdp {
    return { type: this.type, sdp: this.sdp };
  }
}
