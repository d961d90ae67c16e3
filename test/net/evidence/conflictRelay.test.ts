// The relay's specification (src/net/evidence/conflictRelay.ts) without wires: who is sent what, once,
// and the pacing that keeps an honest sender inside every receiver's limit.
import { describe, expect, it } from 'vitest';
import { txIdOf } from '../../../src/core/txId.ts';
import { encodeUtf8 } from '../../../src/core/utf8.ts';
import { decodeConflict, encodeConflict } from '../../../src/net/evidence/conflictFrame.ts';
import { ConflictRelay, RECEIVE_BURST, SEND_BURST } from '../../../src/net/evidence/conflictRelay.ts';
import { makeTestNetwork, pay, personNamed } from '../../support/testNetwork.ts';

const tx = (text: string) => {
  const bytes = encodeUtf8(text);
  return { id: txIdOf(bytes), bytes };
};
const conflict = (n: number) => ({
  output: n.toString(16).padStart(40, '0'),
  txs: [tx(`won ${n}`), tx(`lost ${n}`)],
});

/** Real evidence: two signed spends of the genesis output by its owner that together overspend it. */
const network = makeTestNetwork(1000);
const doubleSpend = [
  pay(network.owner, personNamed('alice'), 600, network.genesis.id),
  pay(network.owner, personNamed('bob'), 600, network.genesis.id),
];

function listening(relay: ConflictRelay, key: string, reads = true): Uint8Array[] {
  const sent: Uint8Array[] = [];
  relay.peerReady(key, reads, (frame) => sent.push(frame));
  return sent;
}

describe('ConflictRelay', () => {
  it('2: sends a new conflict at once to every reading peer but the one that brought it, once', () => {
    const relay = new ConflictRelay(() => 0);
    const [a, b, old] = [listening(relay, 'a'), listening(relay, 'b'), listening(relay, 'old', false)];
    relay.found([conflict(1)], new Set(['a']));
    relay.found([conflict(1)], new Set()); // the same output again: already passed on
    expect(a).toEqual([]);
    expect(b).toHaveLength(1);
    expect(decodeConflict(b[0]!)).toEqual({ ok: true, txs: conflict(1).txs });
    expect(old).toEqual([]); // 1: never to a peer that does not read CONFLICT frames
  });

  it('3: paces each peer at SEND_BURST, skipping what has no room (still recorded)', () => {
    const relay = new ConflictRelay(() => 0);
    const sent = listening(relay, 'a');
    relay.found(
      Array.from({ length: SEND_BURST + 5 }, (_, n) => conflict(n)),
      new Set(),
    );
    expect(sent).toHaveLength(SEND_BURST);
    expect(relay.records.size).toBe(SEND_BURST + 5);
  });

  it('4: a peer may send RECEIVE_BURST frames at once, the next is a violation; bad ids are one too', () => {
    const relay = new ConflictRelay(() => 0);
    listening(relay, 'a');
    const frame = encodeConflict(doubleSpend);
    for (let n = 0; n < RECEIVE_BURST; n++) expect(relay.received('a', frame).ok).toBe(true);
    expect(relay.received('a', frame)).toEqual({ ok: false, problem: 'sent conflict evidence too fast' });
    listening(relay, 'b');
    const lying = encodeConflict([doubleSpend[0]!, { id: 'ab'.repeat(20), bytes: doubleSpend[1]!.bytes }]);
    expect(relay.received('b', lying).ok).toBe(false);
    expect(relay.received('never-said', frame).ok).toBe(false);
  });

  it('4: evidence that is not spends of one output by its one owner is a violation, before anything is queued', () => {
    const relay = new ConflictRelay(() => 0);
    const alice = personNamed('alice');
    const toAlice = doubleSpend[0]!;
    // Payments that have nothing to do with each other: other outputs, other keys.
    const unrelated = encodeConflict([toAlice, pay(alice, personNamed('carol'), 5, toAlice.id)]);
    const otherKey = encodeConflict([toAlice, pay(alice, personNamed('carol'), 5, network.genesis.id)]);
    const notTxs = encodeConflict(conflict(1).txs);
    const genesisTwice = encodeConflict([
      network.genesis,
      pay(network.owner, alice, 1, null as unknown as string),
    ]);
    for (const [frame, problem] of [
      [unrelated, /not a double spend: evidence spends/],
      [otherKey, /signed by two keys/],
      [notTxs, /is not a transaction \(malformed/],
      [genesisTwice, /spends no output/],
    ] as const) {
      listening(relay, 'p');
      const got = relay.received('p', frame);
      expect(got.ok).toBe(false);
      expect(!got.ok && got.problem).toMatch(problem);
      relay.peerGone('p');
    }
    listening(relay, 'q');
    expect(relay.received('q', encodeConflict(doubleSpend))).toEqual({
      ok: true,
      txs: doubleSpend.map(({ id, bytes }) => ({ id, bytes })),
    });
  });

  it('5: a repeated handshake (peerReady again) neither refills the buckets nor sends the evidence again', () => {
    const relay = new ConflictRelay(() => 0);
    relay.found([conflict(1), conflict(2)], new Set());
    const sent: Uint8Array[] = [];
    relay.peerReady('a', true, (frame) => sent.push(frame));
    expect(sent).toHaveLength(2);
    const frame = encodeConflict(doubleSpend);
    for (let n = 0; n < RECEIVE_BURST; n++) expect(relay.received('a', frame).ok).toBe(true);
    relay.peerReady('a', true, (frame) => sent.push(frame));
    expect(sent).toHaveLength(2);
    expect(relay.received('a', frame)).toEqual({ ok: false, problem: 'sent conflict evidence too fast' });
  });

  it('5: a peer that connects later is sent the newest records, at most SEND_BURST, oldest of them first', () => {
    const relay = new ConflictRelay(() => 0);
    relay.found(
      Array.from({ length: SEND_BURST + 3 }, (_, n) => conflict(n)),
      new Set(),
    );
    const late = listening(relay, 'late');
    expect(late).toHaveLength(SEND_BURST);
    const first = decodeConflict(late[0]!);
    expect(first.ok && first.txs[0]!.id).toBe(conflict(3).txs[0]!.id);
    relay.peerGone('late');
    expect(relay.received('late', late[0]!).ok).toBe(false); // 6: its state went with it
  });
});
