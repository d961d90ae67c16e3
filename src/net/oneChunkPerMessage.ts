// bittorrent-protocol writes every message as two chunks, its header and then its payload, and webtorrent
// sends each chunk as its own WebRTC data channel message. Sends are the dear part over node-datachannel
// (each is a synchronous call into libdatachannel: 0.2–0.3 ms under load, measured in the orphan-flood
// attack), so every gossip frame cost two. This joins them: the bytes on the wire are the same stream.

/** The part of a bittorrent-protocol wire this patch replaces (its private message writer). */
interface MessageWriter {
  _message(id: number, numbers: readonly number[], data: Uint8Array | null): void;
  _push(data: Uint8Array): unknown;
}

const patched = new WeakSet<object>();

/** Makes `wire` write each message (header and payload) as one chunk. Idempotent. */
export function writeOneChunkPerMessage(wire: object): void {
  const writer = wire as Partial<MessageWriter>;
  if (patched.has(wire) || typeof writer._message !== 'function' || typeof writer._push !== 'function')
    return;
  patched.add(wire);
  writer._message = function (this: MessageWriter, id, numbers, data) {
    const headerLength = 5 + 4 * numbers.length;
    const message = new Uint8Array(headerLength + (data?.length ?? 0));
    const view = new DataView(message.buffer);
    view.setUint32(0, message.length - 4);
    message[4] = id;
    numbers.forEach((n, i) => view.setUint32(5 + 4 * i, n));
    if (data) message.set(data, headerLength);
    this._push(message);
  };
}
