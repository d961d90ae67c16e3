// Runs a whole reconciliation between two sync sets in memory and measures it: rounds, bytes each way,
// the largest message, and what the initiator learned. Optional hooks let a test change a set between
// rounds. Used by the reconciliation tests and the reconcile bench.
import { randomBytes } from 'node:crypto';
import { Reconciler, type ReconcilerOptions } from '../../src/net/sync/reconciler.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';

export interface SessionFigures {
  /** Responder messages: one round is a message and its answer. */
  rounds: number;
  bytesToResponder: number;
  bytesToInitiator: number;
  largestMessage: number;
  have: string[];
  need: string[];
}

export function runSession(
  initiatorSet: SyncSet,
  responderSet: SyncSet,
  options: ReconcilerOptions = {},
  betweenRounds?: (round: number) => void,
): SessionFigures {
  const initiator = new Reconciler(initiatorSet, options);
  const responder = new Reconciler(responderSet, options);
  const figures: SessionFigures = {
    rounds: 0,
    bytesToResponder: 0,
    bytesToInitiator: 0,
    largestMessage: 0,
    have: [],
    need: [],
  };
  let message: Uint8Array | null = initiator.initiate();
  while (message) {
    figures.bytesToResponder += message.length;
    figures.largestMessage = Math.max(figures.largestMessage, message.length);
    const answer = responder.respond(message);
    figures.rounds++;
    figures.bytesToInitiator += answer.length;
    figures.largestMessage = Math.max(figures.largestMessage, answer.length);
    betweenRounds?.(figures.rounds);
    const result = initiator.reconcile(answer);
    figures.have.push(...result.have);
    figures.need.push(...result.need);
    message = result.reply;
  }
  return figures;
}

/**
 * `count` items with random 20-byte ids and times spread over `span` ms from 2026-01-01, in time order,
 * so that item indexes follow the set's order (the last items are the newest).
 */
export function randomPackedItems(
  count: number,
  span = 30 * 24 * 3600 * 1000,
): { times: Float64Array; ids: Uint8Array } {
  const start = Date.UTC(2026, 0, 1);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = start + Math.floor(Math.random() * span);
  times.sort();
  return { times, ids: new Uint8Array(randomBytes(count * 20)) };
}

/** The items for which `keep(i)` holds, as a set. */
export function setOf(
  items: { times: Float64Array; ids: Uint8Array },
  keep: (i: number) => boolean,
): SyncSet {
  const n = items.times.length;
  const times: number[] = [];
  const ids = new Uint8Array(n * 20);
  for (let i = 0; i < n; i++) {
    if (!keep(i)) continue;
    ids.set(items.ids.subarray(i * 20, i * 20 + 20), times.length * 20);
    times.push(items.times[i] as number);
  }
  return SyncSet.fromPacked(times, ids.subarray(0, times.length * 20));
}

/** Hex id of item `i`. */
export function hexIdOf(items: { ids: Uint8Array }, i: number): string {
  return Buffer.from(items.ids.subarray(i * 20, i * 20 + 20)).toString('hex');
}
