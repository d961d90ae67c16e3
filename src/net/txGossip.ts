// Gossip of transactions over the `ut_ttx` extension in the network swarm. It moves bytes and applies the
// ledger's verdicts; it decides nothing itself. On connect, peers swap inventories (HAVE → WANT → TX);
// a transaction the ledger newly accepts is pushed once to every other peer; an orphan's parent is asked
// of the peer that sent the orphan. A peer that sends bytes under a wrong id, a frame out of shape, a
// transaction no honest node would relay, or too many frames, is disconnected.
import { txIdOf } from '../core/txId.ts';
import { isDishonest } from '../core/verdict.ts';
import type { GossipLedger, GossipVerdict } from './gossipLedger.ts';
import { TokenBucket } from '../rateLimit/tokenBucket.ts';
import {
  chunkIds,
  decodeFrame,
  encodeHave,
  encodeTxFrame,
  encodeWant,
  EXTENSION_NAME,
  WIRE_VERSION,
} from './txWireProtocol.ts';

/** The part of a bittorrent-protocol Wire that gossip uses. */
export interface GossipWire {
  extendedHandshake: Record<string, unknown>;
  peerExtendedHandshake: Record<string, unknown>;
  extended(name: string, payload: Uint8Array): void;
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
  peerId?: string;
}

export interface GossipEvents {
  /** A peer was disconnected for misbehaving. */
  onMisbehaviour?(peerId: string, problem: string): void;
  onPeersChanged?(count: number): void;
  /** Transactions this node newly accepted through gossip (after relay). */
  onAccepted?(items: { id: string; bytes: Uint8Array; seed?: boolean }[]): void;
}

class GossipPeer {
  readonly frames = new TokenBucket(4000, 1000);
  ready = false;

  constructor(readonly wire: GossipWire) {}

  get id(): string {
    return this.wire.peerId ?? 'unknown';
  }

  send(frame: Uint8Array): void {
    try {
      this.wire.extended(EXTENSION_NAME, frame);
    } catch {
      // The wire closed under us; its 'close' handler removes the peer.
    }
  }
}

interface Inbound {
  readonly peer: GossipPeer;
  readonly id: string;
  readonly bytes: Uint8Array;
}

export class TxGossip {
  private readonly peers = new Set<GossipPeer>();
  private inbox: Inbound[] = [];
  private draining: Promise<void> | undefined;
  /** Ids asked of some peer and when, so a HAVE from five peers asks for a transaction once. */
  private readonly requested = new Map<string, number>();

  constructor(
    private readonly ledger: GossipLedger,
    private readonly events: GossipEvents = {},
  ) {}

  get peerCount(): number {
    return [...this.peers].filter((p) => p.ready).length;
  }

  /** The extension constructor to pass to `wire.use(...)` for every wire of the network swarm. */
  extension(): new (wire: GossipWire) => object {
    // bittorrent-protocol constructs extensions itself (`new Extension(wire)`), so the class reaches this
    // gossip through the closure.
    const gossip = this; // eslint-disable-line @typescript-eslint/no-this-alias
    class TxExtension {
      private readonly peer: GossipPeer;

      constructor(wire: GossipWire) {
        this.peer = new GossipPeer(wire);
        wire.extendedHandshake.ttx = WIRE_VERSION;
        wire.once('close', () => gossip.removePeer(this.peer));
      }

      onExtendedHandshake(handshake: Record<string, unknown>): void {
        if (handshake.ttx !== WIRE_VERSION) return; // another version: stay silent, keep the torrent wire
        void gossip.addPeer(this.peer);
      }

      onMessage(payload: Uint8Array): void {
        gossip.onFrame(this.peer, payload);
      }
    }
    Object.defineProperty(TxExtension.prototype, 'name', { value: EXTENSION_NAME });
    return TxExtension;
  }

  /** Sends transactions this node made or was handed (a faucet payment) to every peer. */
  publish(items: readonly { id: string; bytes: Uint8Array }[], except?: GossipPeer): void {
    for (const peer of this.peers) {
      if (!peer.ready || peer === except) continue;
      for (const { id, bytes } of items) peer.send(encodeTxFrame(id, bytes));
    }
  }

  private async addPeer(peer: GossipPeer): Promise<void> {
    peer.ready = true;
    this.peers.add(peer);
    this.events.onPeersChanged?.(this.peerCount);
    const inventory = await this.ledger.inventory();
    for (const ids of chunkIds(inventory)) peer.send(encodeHave(ids));
  }

  private removePeer(peer: GossipPeer): void {
    if (this.peers.delete(peer)) this.events.onPeersChanged?.(this.peerCount);
  }

  private misbehaved(peer: GossipPeer, problem: string): void {
    this.events.onMisbehaviour?.(peer.id, problem);
    this.removePeer(peer);
    peer.wire.destroy();
  }

  private onFrame(peer: GossipPeer, payload: Uint8Array): void {
    if (!peer.ready) return this.misbehaved(peer, 'sent a frame before the handshake');
    if (!peer.frames.take()) return this.misbehaved(peer, 'sent frames too fast');
    const frame = decodeFrame(payload);
    switch (frame.type) {
      case 'bad':
        return this.misbehaved(peer, frame.problem);
      case 'tx':
        if (txIdOf(frame.bytes) !== frame.id)
          return this.misbehaved(peer, `bytes do not hash to ${frame.id}`);
        this.inbox.push({ peer, id: frame.id, bytes: frame.bytes });
        this.draining ??= this.drain();
        return;
      case 'have':
        void this.onHave(peer, frame.ids);
        return;
      case 'want':
        void this.onWant(peer, frame.ids);
        return;
    }
  }

  /** Hands queued transactions to the ledger in arrival order, in batches (one store write each). */
  private async drain(): Promise<void> {
    // Let frames that arrived in the same burst join the batch.
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (this.inbox.length > 0) {
      const batch = this.inbox;
      this.inbox = [];
      const receipt = await this.ledger.receive(batch.map((item) => item.bytes));
      const sourceOf = new Map(batch.map((item) => [item.id, item.peer]));
      receipt.verdicts.forEach((verdict, i) => this.actOn(batch[i]!.peer, verdict));
      for (const item of receipt.accepted) this.publish([item], sourceOf.get(item.id));
      if (receipt.accepted.length > 0) this.events.onAccepted?.(receipt.accepted);
    }
    this.draining = undefined;
  }

  private actOn(peer: GossipPeer, verdict: GossipVerdict): void {
    this.requested.delete(verdict.id);
    if (verdict.kind === 'bytes-mismatch') return this.misbehaved(peer, `other bytes under ${verdict.id}`);
    if (verdict.kind === 'new' && verdict.status === 'invalid' && isDishonest(verdict.reason)) {
      return this.misbehaved(peer, `relayed an invalid transaction (${verdict.reason})`);
    }
    if (verdict.status === 'orphan' && verdict.waitingOn) this.ask(peer, [verdict.waitingOn]);
  }

  private async onHave(peer: GossipPeer, ids: string[]): Promise<void> {
    const known = await this.ledger.known(ids);
    this.ask(
      peer,
      ids.filter((_, i) => !known[i]),
    );
  }

  private ask(peer: GossipPeer, ids: string[]): void {
    const now = Date.now();
    // Ask again only if an earlier request went unanswered for 5 s (that peer may have left).
    const fresh = ids.filter((id) => now - (this.requested.get(id) ?? -Infinity) > 5000);
    for (const id of fresh) this.requested.set(id, now);
    for (const chunk of chunkIds(fresh)) peer.send(encodeWant(chunk));
  }

  private async onWant(peer: GossipPeer, ids: string[]): Promise<void> {
    const found = await this.ledger.bytesOf(ids);
    found.forEach((bytes, i) => {
      if (bytes) peer.send(encodeTxFrame(ids[i]!, bytes));
    });
  }
}
