// The CONFLICT frame (src/net/evidence/conflictFrame.ts): round trip, and every shape out of bounds is a
// problem, never a throw.
import { describe, expect, it } from 'vitest';
import { MAX_TX_BYTES } from '../../../src/core/tx.ts';
import {
  CONFLICT_FRAME,
  decodeConflict,
  encodeConflict,
  MAX_CONFLICT_FRAME_BYTES,
  MAX_EVIDENCE_TXS,
} from '../../../src/net/evidence/conflictFrame.ts';
import { MAX_FRAME_BYTES } from '../../../src/net/txWireProtocol.ts';

const tx = (n: number, length = 100) => ({
  id: n.toString(16).padStart(40, '0'),
  bytes: new Uint8Array(length).fill(n),
});

describe('CONFLICT frame', () => {
  it('round-trips the evidence, accepted spends first and the losing one last', () => {
    const txs = [tx(1), tx(2, MAX_TX_BYTES)];
    const decoded = decodeConflict(encodeConflict(txs));
    expect(decoded).toEqual({ ok: true, txs });
  });

  it('fits the gossip frame bound at its largest', () => {
    const largest = encodeConflict(
      Array.from({ length: MAX_EVIDENCE_TXS }, (_, i) => tx(i + 1, MAX_TX_BYTES)),
    );
    expect(largest.length).toBe(MAX_CONFLICT_FRAME_BYTES);
    expect(MAX_CONFLICT_FRAME_BYTES).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('refuses to encode fewer than 2 or more than MAX_EVIDENCE_TXS transactions', () => {
    expect(() => encodeConflict([tx(1)])).toThrow(RangeError);
    expect(() => encodeConflict(Array.from({ length: MAX_EVIDENCE_TXS + 1 }, (_, i) => tx(i + 1)))).toThrow(
      RangeError,
    );
  });

  it('finds a problem in every malformed frame', () => {
    const good = encodeConflict([tx(1), tx(2)]);
    const cases: [string, Uint8Array][] = [
      ['another type', Uint8Array.of(0x03, ...good.subarray(1))],
      ['one transaction', Uint8Array.of(CONFLICT_FRAME, 1, ...good.subarray(2, 2 + 122))],
      ['too many', Uint8Array.of(CONFLICT_FRAME, MAX_EVIDENCE_TXS + 1, ...good.subarray(2))],
      ['cut short', good.subarray(0, good.length - 1)],
      ['bytes after', Uint8Array.of(...good, 0)],
      [
        'zero length',
        (() => {
          const f = good.slice();
          f[22] = 0;
          f[23] = 0;
          return f;
        })(),
      ],
      [
        'longer than a tx',
        (() => {
          const f = good.slice();
          f[22] = 0xff;
          f[23] = 0xff;
          return f;
        })(),
      ],
      ['the same tx twice', encodeConflict([tx(1), tx(1)])],
      ['over the bound', new Uint8Array(MAX_CONFLICT_FRAME_BYTES + 1).fill(CONFLICT_FRAME)],
      ['empty', new Uint8Array(0)],
    ];
    for (const [what, frame] of cases) {
      const decoded = decodeConflict(frame);
      expect(decoded.ok, what).toBe(false);
    }
  });
});
