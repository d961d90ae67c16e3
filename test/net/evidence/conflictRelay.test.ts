// The relay's specification (src/net/evidence/conflictRelay.ts) without wires: who is sent what, once,
// and the pacing that keeps an honest sender inside every receiver's limit.
import { describe, expect, it } from 'vitest';
import { txIdOf } from '../../../src/core/txId.ts';
import { encodeUtf8 } from '../../../src/core/utf8.ts';
import { decodeConflict, encodeConflict } from '../../../src/net/evidence/conflictFrame.ts';
import { ConflictRelay, RECEIVE_BURST, SEND_BURST } from '../../../src/net/evidence/conflictRelay.ts';

const tx = (text: string) => {
  const bytes = encodeUtf8(text);
  return { id: txIdOf(bytes), bytes };
};
const conflict = (n: number) => ({
  output: n.toString(16).padStart(40, '0'),
  txs: [tx(`won ${n}`), tx(`lost ${n}`)],
});

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
    const frame = encodeConflict(conflict(1).txs);
    for (let n = 0; n < RECEIVE_BURST; n++) expect(relay.received('a', frame).ok).toBe(true);
    expect(relay.received('a', frame)).toEqual({ ok: false, problem: 'sent conflict evidence too fast' });
    listening(relay, 'b');
    const lying = encodeConflict([
      conflict(1).txs[0]!,
      { id: 'ab'.repeat(20), bytes: conflict(1).txs[1]!.bytes },
    ]);
    expect(relay.received('b', lying).ok).toBe(false);
    expect(relay.received('never-said', frame).ok).toBe(false);
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
