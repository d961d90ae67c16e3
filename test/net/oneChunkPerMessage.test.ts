// writeOneChunkPerMessage on real bittorrent-protocol Wires (webtorrent's class): every message leaves as
// one chunk (one data channel message under webtorrent) with the same bytes as the two chunks of an
// unpatched wire, and a patched wire and a plain one still understand each other.
import Wire from 'bittorrent-protocol';
import { describe, expect, it } from 'vitest';
import { writeOneChunkPerMessage } from '../../src/net/oneChunkPerMessage.ts';

const INFO_HASH = '11'.repeat(20);

/** Messages of the Wire class that this project's type declarations for it leave out. */
interface Messages {
  have(index: number): void;
  bitfield(bits: Uint8Array): void;
  unchoke(): void;
  piece(index: number, offset: number, block: Uint8Array): void;
}

/** The chunks a wire writes while `act` runs, after its handshake. */
function chunksOf(patch: boolean, act: (wire: Messages) => void): Uint8Array[] {
  const wire = new Wire();
  if (patch) writeOneChunkPerMessage(wire);
  wire.handshake(INFO_HASH, '22'.repeat(20), { dht: false });
  const chunks: Uint8Array[] = [];
  wire.on('data', (chunk) => void chunks.push(new Uint8Array(chunk as Uint8Array)));
  act(wire as unknown as Messages);
  return chunks;
}

function joined(chunks: readonly Uint8Array[]): number[] {
  return chunks.flatMap((chunk) => [...chunk]);
}

const messages: [string, (wire: Messages) => void][] = [
  ['have (numbers, no payload)', (wire) => wire.have(7)],
  ['bitfield (a payload)', (wire) => wire.bitfield(new Uint8Array([0xff, 0x80]))],
  ['piece (two numbers and a block)', (wire) => wire.piece(1, 2, new Uint8Array(300).fill(9))],
  ['unchoke (a bare id)', (wire) => wire.unchoke()],
];

describe('one chunk per message', () => {
  for (const [name, act] of messages) {
    it(`${name}: one chunk, the same bytes as the two chunks of a plain wire`, async () => {
      // Chunks come out of the readable side asynchronously.
      const plain = chunksOf(false, act);
      const patched = chunksOf(true, act);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const handshakeChunks = (c: Uint8Array[]) =>
        c.filter((chunk) => chunk[0] === 19 && chunk.length === 68);
      const plainMessages = plain.slice(handshakeChunks(plain).length);
      const patchedMessages = patched.slice(handshakeChunks(patched).length);
      expect(joined(patchedMessages)).toEqual(joined(plainMessages));
      expect(patchedMessages.length).toBe(1);
    });
  }

  it('a patched wire and a plain one exchange extended messages both ways', async () => {
    const a = new Wire();
    const b = new Wire();
    writeOneChunkPerMessage(a);
    const received: { on: string; bytes: number[] }[] = [];
    class Echo {
      constructor(private readonly wire: Wire) {}
      onMessage(payload: Uint8Array): void {
        received.push({ on: this.wire === a ? 'a' : 'b', bytes: [...payload] });
      }
    }
    Object.defineProperty(Echo.prototype, 'name', { value: 'ut_echo' });
    a.use(Echo);
    b.use(Echo);
    b.once('handshake', () => b.handshake(INFO_HASH, '33'.repeat(20)));
    const extended = Promise.all([
      new Promise((resolve) => a.once('extended', resolve)),
      new Promise((resolve) => b.once('extended', resolve)),
    ]);
    a.pipe(b).pipe(a);
    a.handshake(INFO_HASH, '44'.repeat(20));
    await extended;
    a.extended('ut_echo', new Uint8Array([1, 2, 3]));
    b.extended('ut_echo', new Uint8Array([4, 5]));
    await expect.poll(() => received.length).toBe(2);
    expect(received).toContainEqual({ on: 'b', bytes: [1, 2, 3] });
    expect(received).toContainEqual({ on: 'a', bytes: [4, 5] });
  });
});
