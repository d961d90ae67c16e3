// A simulated connection between two gossip nodes: two ends that each look, to TxGossip's extension, like
// the bittorrent-protocol Wire it gets in the real network (src/net/txGossip.ts, GossipWire), and deliver
// each extended message to the other side's extension after the link's latency, in virtual time.
//
// The real wire is a reliable ordered stream (TCP, or an SCTP data channel): a lost packet is sent again,
// never skipped. So loss is modelled as what it costs there: each frame is lost with probability `loss`
// per attempt, every lost attempt delays it by one retransmission time-out (RTT + 200 ms: Linux's RTO
// floor over the smoothed RTT), and frames behind it on the same direction wait (head-of-line blocking).
// An optional uplink rate adds each frame's serialisation time, queued per sending node.
import type { GossipWire } from '../../src/net/txGossip.ts';
import type { VirtualTime } from './virtualTime.ts';

/** What the TxGossip extension class exposes to the wire that carries it. */
export interface WireExtension {
  onExtendedHandshake(handshake: Record<string, unknown>): void;
  onMessage(payload: Uint8Array): void;
}

export type ExtensionClass = new (wire: GossipWire) => object;

/** A node's side of every link it has: its extension class, its name and its uplink. */
export interface LinkEnd {
  readonly name: string;
  readonly address: string;
  readonly extension: ExtensionClass;
  /** Bits per millisecond its uplink sends (Infinity: no limit), and when it is free again. */
  readonly uplink: { readonly bitsPerMs: number; freeAt: number };
}

export interface LinkModel {
  /** One-way latency, ms. */
  readonly latencyMs: number;
  /** Chance that one transmission of a frame is lost (0–1). */
  readonly loss: number;
}

/** Linux's minimum retransmission time-out, ms, added to the RTT for each lost attempt. */
export const RTO_FLOOR_MS = 200;

export class SimWire implements GossipWire {
  extendedHandshake: Record<string, unknown> = {};
  peerExtendedHandshake: Record<string, unknown> = {};
  readonly peerId: string;
  readonly remoteAddress: string;
  other!: SimWire;
  extension!: WireExtension;
  closed = false;
  /** When the last frame sent this way arrives: the next may not overtake it. */
  private lastArrival = 0;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly time: VirtualTime,
    private readonly from: LinkEnd,
    to: LinkEnd,
    private readonly link: LinkModel,
    private readonly random: () => number,
  ) {
    this.peerId = to.name;
    this.remoteAddress = to.address;
  }

  extended(_name: string, payload: Uint8Array): void {
    if (this.closed) throw new Error('wire closed');
    this.deliver(payload.length, () => this.other.extension.onMessage(payload));
  }

  /** Sends the extended handshake this end's extension filled in. */
  handshake(): void {
    const handshake = { ...this.extendedHandshake };
    this.deliver(64, () => {
      this.other.peerExtendedHandshake = handshake;
      this.other.extension.onExtendedHandshake(handshake);
    });
  }

  private deliver(bytes: number, arrive: () => void): void {
    const now = this.time.now;
    const uplink = this.from.uplink;
    const departs = Number.isFinite(uplink.bitsPerMs)
      ? (uplink.freeAt = Math.max(now, uplink.freeAt) + (bytes * 8) / uplink.bitsPerMs)
      : now;
    let arrives = departs + this.link.latencyMs;
    while (this.random() < this.link.loss) arrives += 2 * this.link.latencyMs + RTO_FLOOR_MS;
    arrives = Math.max(arrives, this.lastArrival);
    this.lastArrival = arrives;
    this.time.at(arrives, () => {
      if (!this.other.closed) arrive();
    });
  }

  destroy(): void {
    if (this.closed) return;
    this.close();
    // The other end learns of it one latency later, as a TCP FIN or an SCTP abort would tell it.
    this.time.after(this.link.latencyMs, () => this.other.close());
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  once(_event: 'close', listener: () => void): this {
    this.closeListeners.push(listener);
    return this;
  }
}

/** Opens a link: both extensions are constructed on their wires, then the handshakes cross. */
export function connect(
  time: VirtualTime,
  a: LinkEnd,
  b: LinkEnd,
  link: LinkModel,
  random: () => number,
): [SimWire, SimWire] {
  const wireA = new SimWire(time, a, b, link, random);
  const wireB = new SimWire(time, b, a, link, random);
  wireA.other = wireB;
  wireB.other = wireA;
  wireA.extension = new a.extension(wireA) as WireExtension;
  wireB.extension = new b.extension(wireB) as WireExtension;
  wireA.handshake();
  wireB.handshake();
  return [wireA, wireB];
}
