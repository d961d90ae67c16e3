// Passes double-spend evidence through the swarm, beside the gossip (src/net/txGossip.ts), so that every
// connected node learns of every double spend within about one propagation delay, whatever it saw first.
// Verdicts stay first-seen (PROTOCOL §5): evidence is decided by the ledger like any transaction, and only
// what the ledger itself found in conflict is recorded and passed on.
//
// === Specification ===
//  1. A peer reads CONFLICT frames when its extended handshake carries `ttxConflict: 1`
//     (conflictFrame.ts); no frame is sent to any other peer (a version-2 peer without it would drop us).
//  2. When the ledger decides a transaction `conflict`, the gossip calls found(): a conflict on an output
//     not yet recorded (conflictRecords.ts) is recorded and sent at once (ahead of any HAVE batching) to
//     every reading peer but those that sent this evidence in a CONFLICT frame: once per conflict.
//  3. Sending is paced per peer by SEND_BURST, then SEND_PER_SECOND; evidence a peer has no room for is
//     not sent to it (the conflict stays recorded; other peers pass it on). So an honest node never
//     breaks the receiving limit (4), which is twice as wide to absorb delays on the way.
//  4. received(peer, frame): an unasked CONFLICT frame costs the peer a token of its evidence bucket
//     (RECEIVE_BURST, then RECEIVE_PER_SECOND); an empty bucket, a frame out of shape, a transaction
//     whose bytes do not hash to its id, or transactions that are not spends of one output by its one
//     owner (doubleSpendShape.ts: checked here, before anything is queued) is a violation (the gossip
//     disconnects the peer). Otherwise the transactions go to the ledger ahead of queued ones, accepted
//     spends first, the losing one last (a node that saw none of them takes the sender's order as its
//     first-seen order), within the gossip's inbox bound (MAX_INBOX: past it they are dropped, as
//     unasked transactions are). So one peer gets at most RECEIVE_BURST × MAX_EVIDENCE_TXS transactions
//     queued at once this way, then RECEIVE_PER_SECOND × MAX_EVIDENCE_TXS a second, each a spend of an
//     output whose owner signed two spends of it. Once the ledger decided a frame, a frame none of whose
//     spends conflicted (all accepted: evidenceOutcome.ts) disconnects its sender too, with the frames it
//     has queued behind it: so spends within the output's value ride this path one batch at most.
//  5. A newly connected reading peer is sent the newest recorded evidence (at most SEND_BURST), so a node
//     that joins after a double spend learns of it too. peerReady for a peer already ready changes
//     nothing (a repeated extended handshake neither refills its buckets nor is sent the evidence again):
//     per-peer state lives as long as the connection.
//  6. Per-peer state is dropped when the peer goes (peerGone); records expire as conflictRecords.ts says.
import { txIdOf } from '../../core/txId.ts';
import { TokenBucket } from '../../rateLimit/tokenBucket.ts';
import {
  CONFLICT_HANDSHAKE_KEY,
  CONFLICT_HANDSHAKE_VERSION,
  decodeConflict,
  encodeConflict,
  type EvidenceTx,
  type FoundConflict,
} from './conflictFrame.ts';
import { ConflictRecords } from './conflictRecords.ts';
import { doubleSpendProblem } from './doubleSpendShape.ts';

/** Evidence frames sent to one peer at once, then per second. */
export const SEND_BURST = 32;
export const SEND_PER_SECOND = 4;
/** Evidence frames a peer may send unasked at once, then per second: twice what an honest sender sends. */
export const RECEIVE_BURST = 2 * SEND_BURST;
export const RECEIVE_PER_SECOND = 2 * SEND_PER_SECOND;

interface ReadingPeer {
  readonly send: (frame: Uint8Array) => void;
  readonly out: TokenBucket;
  readonly in: TokenBucket;
}

export type ReceivedEvidence = { ok: true; txs: EvidenceTx[] } | { ok: false; problem: string };

export class ConflictRelay {
  readonly records = new ConflictRecords();
  private readonly peers = new Map<string, ReadingPeer>();

  constructor(private readonly clock: () => number) {}

  /** Whether a peer's extended handshake says it reads CONFLICT frames. */
  static reads(handshake: Record<string, unknown>): boolean {
    return handshake[CONFLICT_HANDSHAKE_KEY] === CONFLICT_HANDSHAKE_VERSION;
  }

  /** What this node adds to its own extended handshake. */
  static advertise(handshake: Record<string, unknown>): void {
    handshake[CONFLICT_HANDSHAKE_KEY] = CONFLICT_HANDSHAKE_VERSION;
  }

  peerReady(key: string, reads: boolean, send: (frame: Uint8Array) => void): void {
    // A repeated handshake: its buckets stay as they are, and what it was sent is not sent again.
    if (!reads || this.peers.has(key)) return;
    const peer: ReadingPeer = {
      send,
      out: new TokenBucket(SEND_BURST, SEND_PER_SECOND),
      in: new TokenBucket(RECEIVE_BURST, RECEIVE_PER_SECOND),
    };
    this.peers.set(key, peer);
    for (const record of this.records.recent(SEND_BURST, this.clock()).reverse()) {
      if (peer.out.take()) peer.send(encodeConflict(record.txs));
    }
  }

  peerGone(key: string): void {
    this.peers.delete(key);
  }

  received(key: string, frame: Uint8Array): ReceivedEvidence {
    const peer = this.peers.get(key);
    if (!peer) return { ok: false, problem: 'sent a CONFLICT frame it did not say it sends' };
    if (!peer.in.take()) return { ok: false, problem: 'sent conflict evidence too fast' };
    const decoded = decodeConflict(frame);
    if (!decoded.ok) return { ok: false, problem: decoded.problem };
    for (const tx of decoded.txs) {
      if (txIdOf(tx.bytes) !== tx.id) return { ok: false, problem: `evidence bytes do not hash to ${tx.id}` };
    }
    const problem = doubleSpendProblem(decoded.txs);
    if (problem !== undefined) return { ok: false, problem };
    return decoded;
  }

  /** Records each new conflict and sends it to every reading peer but `except` (who sent it to us). */
  found(conflicts: readonly FoundConflict[], except: ReadonlySet<string>): void {
    const now = this.clock();
    for (const { output, txs } of conflicts) {
      if (!this.records.add(output, txs, now)) continue;
      const frame = encodeConflict(txs);
      for (const [key, peer] of this.peers) {
        if (!except.has(key) && peer.out.take()) peer.send(frame);
      }
    }
  }

  expire(now: number): void {
    this.records.expire(now);
  }
}
