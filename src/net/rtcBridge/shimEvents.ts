// The shim's own event classes, since workers have neither RTCPeerConnectionIceEvent nor
// RTCDataChannelEvent. They carry the same members that handlers read: `candidate` and `channel`.
import type { RtcShimIceCandidate } from './shimIceCandidate.ts';

export class RtcShimIceEvent extends Event {
  /** Null once gathering has ended, as with a real connection. */
  readonly candidate: RtcShimIceCandidate | null;
  readonly url: string | null = null;

  constructor(candidate: RtcShimIceCandidate | null) {
    super('icecandidate');
    this.candidate = candidate;
  }
}

export class RtcShimDataChannelEvent<Channel extends EventTarget = EventTarget> extends Event {
  readonly channel: Channel;

  constructor(channel: Channel) {
    super('datachannel');
    this.channel = channel;
  }
}
