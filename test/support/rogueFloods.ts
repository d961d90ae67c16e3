// What each rogue of an attack test sends once its gossip handshake with the victim is done. Runs in the
// rogues' own process (rogueSwarmProcess.ts), so that signing and sending cost the victim's process
// nothing. Each flood gets `send`, false once the wire closed or the attack ended, and the attack's
// parameters; payments are signed as they go, with times that differ from one connection to the next.
import { encodeConflict } from '../../src/net/evidence/conflictFrame.ts';
import { RECEIVE_PER_SECOND } from '../../src/net/evidence/conflictRelay.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';
import { UNASKED_PER_SECOND } from '../../src/net/txGossip.ts';
import {
  encodeHave,
  encodeSync,
  encodeTxFrame,
  MAX_IDS_PER_FRAME,
  MAX_SYNC_BYTES,
} from '../../src/net/txWireProtocol.ts';
import { acceptedSetOf } from './acceptedSetPreload.ts';
import { hostileSyncMessage } from './hostileSync.ts';
import { GENESIS_TIME, pay, personNamed } from './testNetwork.ts';

export type FloodKind = 'orphans' | 'futures' | 'have' | 'payments' | 'sync' | 'conflict' | 'churn';

export interface FloodParams {
  /** An output Mallory owns (payments, conflict) or a 1-token one (futures). */
  readonly output?: string;
  /** The victim's preloaded accepted set (acceptedSetPreload.ts), for the SYNC flood. */
  readonly acceptedSet?: { readonly size: number; readonly seed: number };
}

export type Send = (frame: Uint8Array) => boolean;
/**
 * `sentPayments` reports ids of payments sent inside CONFLICT frames (the test checks none was
 * accepted); `syncReply` resolves at the victim's next SYNC_REPLY, false if the wire closed first.
 */
export type Flood = (
  send: Send,
  sentPayments: (ids: string[]) => void,
  syncReply: () => Promise<boolean>,
) => Promise<void>;

/**
 * SYNC messages a second per rogue, at most: just under the shared HAVE/SYNC bucket, so never dropped for
 * rate. It sends each once the last was answered, as an honest initiator does (one sent before is a
 * violation: test/net/syncCpuAttack.test.ts), so it is never dropped for that either.
 */
export const SYNC_PER_SECOND = UNASKED_PER_SECOND - 10;
/** CONFLICT frames a second per rogue: under the evidence bucket's rate. */
export const CONFLICT_PER_SECOND = RECEIVE_PER_SECOND - 1;
/** Payments in one CONFLICT frame: four unrelated valid ones (the most a frame takes). */
export const PAYMENTS_PER_FRAME = 4;

const mallory = personNamed('mallory');
const alice = personNamed('alice');
const sinks = Array.from({ length: 50 }, (_, i) => personNamed(`sink${i}`));
/** Distinct times across every connection of this process, so no two payments are the same. */
let counter = 0;
const startedAt = Date.now();

function randomId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString('hex');
}

/** Yields to the event loop every `every` frames, so the flood is as fast as the wire takes it. */
async function pace(i: number, every = 50): Promise<void> {
  if (i % every === 0) await new Promise((resolve) => setImmediate(resolve));
}

/** Sends `frame()` `perSecond` times a second until `send` says stop. */
async function atRate(perSecond: number, send: Send, frame: () => Uint8Array): Promise<void> {
  const began = performance.now();
  for (let sent = 0; ;) {
    const due = Math.floor(((performance.now() - began) * perSecond) / 1000) + 1;
    for (; sent < due; sent++) if (!send(frame())) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function floodOf(kind: FloodKind, params: FloodParams): Flood {
  switch (kind) {
    case 'orphans': // valid signatures, made-up parents
      return async (send) => {
        for (let i = 0; ; i++) {
          const orphan = pay(mallory, alice, 1, randomId(), GENESIS_TIME + 20_000 + counter++);
          if (!send(encodeTxFrame(orphan.id, orphan.bytes))) return;
          await pace(i);
        }
      };
    case 'futures': {
      // Spends of one 1-token output, dated a year ahead.
      const yearAhead = startedAt + 365 * 24 * 3600 * 1000;
      return async (send) => {
        for (let i = 0; ; i++) {
          const future = pay(mallory, sinks[i % sinks.length]!, 1, params.output!, yearAhead + counter++);
          if (!send(encodeTxFrame(future.id, future.bytes))) return;
          await pace(i);
        }
      };
    }
    case 'churn': // one frame of no known type: dropped at once, back at once (the cost of a connection)
      return async (send) => void send(new Uint8Array([0x7f]));
    case 'have':
      return async (send) => {
        for (let i = 0; ; i++) {
          if (!send(encodeHave(Array.from({ length: MAX_IDS_PER_FRAME }, randomId)))) return;
          await pace(i, 10);
        }
      };
    case 'payments': // valid 1-token payments pushed unasked
      return async (send) => {
        for (let i = 0; ; i++) {
          const payment = pay(
            mallory,
            sinks[i % sinks.length]!,
            1,
            params.output!,
            startedAt - 30_000 + counter++,
          );
          if (!send(encodeTxFrame(payment.id, payment.bytes))) return;
          await pace(i);
        }
      };
    case 'sync': {
      const { size, seed } = params.acceptedSet!;
      const set = acceptedSetOf(size, seed);
      const message = encodeSync(
        hostileSyncMessage(
          SyncSet.fromItems(set.ids.map((id, i) => ({ id, time: set.times[i]! }))),
          MAX_SYNC_BYTES,
        ),
      );
      return async (send, _payments, syncReply) => {
        for (let at = performance.now(); ;) {
          if (!send(message) || !(await syncReply())) return;
          const wait = at + 1000 / SYNC_PER_SECOND - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          at = performance.now();
        }
      };
    }
    case 'conflict': // CONFLICT frames carrying unrelated valid payments, no double spend among them
      return (send, sentPayments) =>
        atRate(CONFLICT_PER_SECOND, send, () => {
          const payments = Array.from({ length: PAYMENTS_PER_FRAME }, (_, i) =>
            pay(mallory, sinks[i]!, 1, params.output!, startedAt - 30_000 + counter++),
          );
          sentPayments(payments.map((p) => p.id));
          return encodeConflict(payments);
        });
  }
}
