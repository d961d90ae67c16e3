// How a batch of transaction byte strings travels between the full node's thread and its checker
// threads (threadedChecker.ts, checkThread.ts): one ArrayBuffer, transferred rather than copied item by
// item. Each item is its length (u32, little-endian), then its bytes.

/** Packs byte strings into one buffer. */
export function packItems(items: readonly Uint8Array[]): ArrayBuffer {
  let total = 0;
  for (const item of items) total += 4 + item.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const item of items) {
    view.setUint32(at, item.length, true);
    out.set(item, at + 4);
    at += 4 + item.length;
  }
  return out.buffer;
}

/** The items of a packed buffer, as views into it. */
export function unpackItems(buffer: ArrayBuffer): Uint8Array[] {
  const view = new DataView(buffer);
  const items: Uint8Array[] = [];
  for (let at = 0; at < buffer.byteLength;) {
    if (at + 4 > buffer.byteLength) throw new RangeError('a packed batch is cut short');
    const length = view.getUint32(at, true);
    if (at + 4 + length > buffer.byteLength) throw new RangeError('a packed batch is cut short');
    items.push(new Uint8Array(buffer, at + 4, length));
    at += 4 + length;
  }
  return items;
}
