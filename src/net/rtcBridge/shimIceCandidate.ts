// RTCIceCandidate for workers, where the browser has none. Besides the init members it parses the
// candidate line (RFC 8839 §5.1) into the attributes a real one has: simple-peer reads `address` to
// decide whether a candidate that failed to add is worth destroying the connection for.
import type { RtcCandidateInit } from './protocol.ts';

export class RtcShimIceCandidate implements RtcCandidateInit {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
  readonly foundation: string | null = null;
  readonly component: 'rtp' | 'rtcp' | null = null;
  readonly priority: number | null = null;
  readonly address: string | null = null;
  readonly protocol: 'udp' | 'tcp' | null = null;
  readonly port: number | null = null;
  readonly type: 'host' | 'srflx' | 'prflx' | 'relay' | null = null;
  readonly tcpType: 'active' | 'passive' | 'so' | null = null;
  readonly relatedAddress: string | null = null;
  readonly relatedPort: number | null = null;

  constructor(init: Partial<RtcCandidateInit> = {}) {
    this.candidate = init.candidate ?? '';
    this.sdpMid = init.sdpMid ?? null;
    this.sdpMLineIndex = init.sdpMLineIndex ?? null;
    this.usernameFragment = init.usernameFragment ?? null;
    // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> *(<name> <value>)
    const fields = this.candidate
      .replace(/^(a=)?candidate:/, '')
      .trim()
      .split(/\s+/);
    if (fields.length < 8 || fields[6] !== 'typ') return;
    const [foundation, component, protocol, priority, address, port, , type] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    this.foundation = foundation;
    this.component = component === '1' ? 'rtp' : component === '2' ? 'rtcp' : null;
    this.protocol = oneOf(protocol.toLowerCase(), ['udp', 'tcp'] as const);
    this.priority = Number(priority);
    this.address = address;
    this.port = Number(port);
    this.type = oneOf(type, ['host', 'srflx', 'prflx', 'relay'] as const);
    for (let i = 8; i + 1 < fields.length; i += 2) {
      const value = fields[i + 1]!;
      if (fields[i] === 'raddr') this.relatedAddress = value;
      else if (fields[i] === 'rport') this.relatedPort = Number(value);
      else if (fields[i] === 'tcptype') this.tcpType = oneOf(value, ['active', 'passive', 'so'] as const);
      else if (fields[i] === 'ufrag' && this.usernameFragment === null) this.usernameFragment = value;
    }
  }

  toJSON(): RtcCandidateInit {
    return {
      candidate: this.candidate,
      sdpMid: this.sdpMid,
      sdpMLineIndex: this.sdpMLineIndex,
      usernameFragment: this.usernameFragment,
    };
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | null {
  return (allowed as readonly string[]).includes(value) ? (value as T) : null;
}
