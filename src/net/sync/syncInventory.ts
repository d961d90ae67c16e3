// The node's accepted set as gossip reconciles it: the SyncSet ordered by (time, id), an id index for
// "do I have this?", and the two roles of a reconciliation. The side that asks keeps a session (a
// Reconciler that initiated) for the rounds of one reconciliation; the side that answers is stateless
// (Negentropy's responder keeps nothing between messages), so each message is answered by a fresh
// responder and nothing a peer sends makes this node keep state for it. What bounds the work is the
// peer's SYNC budget (syncBudget.ts): every message, either role, is charged the work units it cost.
import type { Inventory } from '../gossipLedger.ts';
import { MAX_SYNC_BYTES } from '../txWireProtocol.ts';
import { Reconciler } from './reconciler.ts';
import { costOf } from './syncWork.ts';
import { roundsFor } from './syncProtocol.ts';
import { SyncSet } from './syncSet.ts';

/** The largest difference one reconciliation covers: a fresh node this far behind still catches up. */
export const MAX_SYNC_DIFFERENCE = 10_000_000;
/** Messages of one reconciliation, either way: enough for MAX_SYNC_DIFFERENCE in MAX_SYNC_BYTES frames. */
export const MAX_SYNC_ROUNDS = roundsFor(MAX_SYNC_DIFFERENCE, MAX_SYNC_BYTES);

/** One reconciliation this node started with one peer. */
export interface SyncSession {
  /** The first message to send. */
  readonly first: Uint8Array;
  /**
   * Takes the peer's reply: the ids the peer has and this node lacks, the next message (null when
   * done) and the work units reading it cost (syncWork.ts). Throws ReconcileProtocolError on a reply
   * out of shape.
   */
  next(reply: Uint8Array): { need: string[]; message: Uint8Array | null; units: number };
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
    // Only `need` is used: the peer's listed ids are looked up, not compared with a scan of our range.
    const reconciler = new Reconciler(this.set, {
      frameSizeLimit: MAX_SYNC_BYTES,
      maxRounds: MAX_SYNC_ROUNDS,
      holds: (id) => this.ids.has(id),
    });
    return {
      first: reconciler.initiate(),
      next(reply) {
        const { reply: message, need } = reconciler.reconcile(reply);
        return { need, message, units: costOf(reconciler.lastWork) };
      },
    };
  }

  /**
   * Answers one message of a reconciliation a peer started, with the work units it cost (syncWork.ts).
   * Throws ReconcileProtocolError if bad.
   */
  answer(message: Uint8Array): { reply: Uint8Array; units: number } {
    const responder = new Reconciler(this.set, {
      frameSizeLimit: MAX_SYNC_BYTES,
      maxRounds: MAX_SYNC_ROUNDS,
    });
    const reply = responder.respond(message);
    return { reply, units: costOf(responder.lastWork) };
  }
}
