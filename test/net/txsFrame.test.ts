// The TXS frame (src/net/txWireProtocol.ts): several transactions to a frame, each frame within the
// gossip frame bound, a lone transaction as TX; every shape out of bounds decodes as `bad`, never throws.
import { describe, expect, it } from 'vitest';
import { MAX_TX_BYTES } from '../../src/core/tx.ts';
import { decodeFrame, encodeTxFrame, encodeTxFrames, MAX_FRAME_BYTES } from '../../src/net/txWireProtocol.ts';

const tx = (n: number, length = 355) => ({
  id: n.toString(16).padStart(40, '0'),
  bytes: new Uint8Array(length).fill(n % 251),
});

/** A TXS frame by hand: type 0x08, then id ‖ 2-byte length ‖ bytes per item. */
function txsFrame(items: { id: Uint8Array; length: number; bytes: Uint8Array }[]): Uint8Array {
  const parts = items.flatMap(({ id, length, bytes }) => [...id, length >>> 8, length & 0xff, ...bytes]);
  return new Uint8Array([0x08, ...parts]);
}

describe('TXS frames', () => {
  it('carry many transactions in as few frames as fit the bound, in order, and decode to the same', () => {
    const items = Array.from({ length: 300 }, (_, i) => tx(i + 1, 200 + ((i * 37) % 800)));
    const frames = encodeTxFrames(items);
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    const payload = items.reduce((sum, item) => sum + 22 + item.bytes.length, 0);
    // Packed: no more frames than the bytes need, plus one for what does not fit at each frame's end.
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(payload / (MAX_FRAME_BYTES - 1 - 22 - MAX_TX_BYTES)));
    const decoded = frames.flatMap((frame) => {
      const f = decodeFrame(frame);
      if (f.type === 'txs') return f.items;
      if (f.type === 'tx') return [{ id: f.id, bytes: f.bytes }];
      throw new Error(`decoded as ${f.type}`);
    });
    expect(decoded).toEqual(items);
  });

  it('send a lone transaction as TX, byte for byte, and transactions of the largest size too', () => {
    expect(encodeTxFrames([tx(7)])).toEqual([encodeTxFrame(tx(7).id, tx(7).bytes)]);
    expect(encodeTxFrames([])).toEqual([]);
    const largest = Array.from({ length: 40 }, (_, i) => tx(i + 1, MAX_TX_BYTES));
    const frames = encodeTxFrames(largest);
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('refuse to carry a transaction over MAX_TX_BYTES', () => {
    expect(() => encodeTxFrames([tx(1), tx(2, MAX_TX_BYTES + 1)])).toThrow(RangeError);
  });

  it('out of shape decode as bad: truncated, empty or oversized items, one item, over the bound', () => {
    const id = new Uint8Array(20).fill(1);
    const good = { id, length: 3, bytes: new Uint8Array([1, 2, 3]) };
    const cases: [string, Uint8Array][] = [
      ['one item', txsFrame([good])],
      ['no item', new Uint8Array([0x08])],
      ['a truncated header', txsFrame([good, good]).subarray(0, 1 + 25 + 10)],
      ['bytes short of the length', txsFrame([good, { ...good, length: 9 }])],
      ['a zero length', txsFrame([good, { id, length: 0, bytes: new Uint8Array() }])],
      [
        'a length over MAX_TX_BYTES',
        txsFrame([good, { id, length: MAX_TX_BYTES + 1, bytes: new Uint8Array(MAX_TX_BYTES + 1) }]),
      ],
      [
        'over the frame bound',
        txsFrame(Array.from({ length: 20 }, () => ({ id, length: 1000, bytes: new Uint8Array(1000) }))),
      ],
    ];
    for (const [what, frame] of cases) {
      expect(decodeFrame(frame).type, what).toBe('bad');
    }
    expect(decodeFrame(txsFrame([good, good])).type).toBe('txs');
  });
});
