// The node's accepted set as gossip reconciles it: the SyncSet ordered by (time, id), an id index for
// "do I have this?", and the two roles of a reconciliation. The side that asks keeps a session (a
// Reconciler that initiated) for the rounds of one reconciliation; the side that answers is stateless
// (Negentropy's responder keeps nothing between messages), so each message is answered by a fresh
// responder and nothing a peer sends makes this node keep state for it. What bounds the answering work
// is the peer's token bucket (src/net/txGossip.ts), charged for every SYNC.
import type { Inventory } from '../gossipLedger.ts';
import { MAX_SYNC_BYTES } from '../txWireProtocol.ts';
import { Reconciler } from './reconciler.ts';
import { SyncSet } from './syncSet.ts';

/** One reconciliation this node started with one peer. */
export interface SyncSession {
  /** The first message to send. */
  readonly first: Uint8Array;
  /**
   * Takes the peer's reply: the ids the peer has and this node lacks (`need`), those this node has and
   * the peer lacks (`lacks`: what the peer is not counted as holding, holderCounts.ts), and the next
   * message (null when done). Throws ReconcileProtocolError on a reply out of shape.
   */
  next(reply: Uint8Array): { need: string[]; lacks: string[]; message: Uint8Array | null };
}

export class SyncInventory {
  private constructor(
    private readonly set: SyncSet,
    private readonly ids: Set<string>,
  ) {}

  static from(inventory: Inventory): SyncInventory {
    const set = SyncSet.fromItems(inventory.ids.map((id, i) => ({ id, time: inventory.times[i]! })));
    return new SyncInventory(set, new Set(inventory.ids));
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Adds an accepted transaction; false if it was there. */
  add(time: number, id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    this.set.insert(time, id);
    return true;
  }

  startSession(): SyncSession {
    const reconciler = new Reconciler(this.set, { frameSizeLimit: MAX_SYNC_BYTES });
    return {
      first: reconciler.initiate(),
      next(reply) {
        const { reply: message, need, have } = reconciler.reconcile(reply);
        return { need, lacks: have, message };
      },
    };
  }

  /** Answers one message of a reconciliation a peer started. Throws ReconcileProtocolError if bad. */
  answer(message: Uint8Array): Uint8Array {
    return new Reconciler(this.set, { frameSizeLimit: MAX_SYNC_BYTES }).respond(message);
  }
}
