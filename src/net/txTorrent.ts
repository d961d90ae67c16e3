// Each transaction stays a real torrent that any WebTorrent client can fetch by its infohash. webtorrent
// cannot make the `tx/tx.json` folder layout from bytes in a browser (create-torrent would make a
// single-file torrent with another infohash), so the .torrent is built here from the core's info dict,
// and its one piece is handed to webtorrent as a preloaded chunk store.
import { PIECE_LENGTH, txInfoDict } from '../core/txId.ts';
import { encodeUtf8 } from '../core/utf8.ts';

/** A .torrent file of the `tx` folder: `d4:info<info dict>e`, with no announce (trackers are added by the node). */
export function txTorrentFile(bytes: Uint8Array): Uint8Array {
  const info = txInfoDict(bytes);
  const head = encodeUtf8('d4:info');
  const out = new Uint8Array(head.length + info.length + 1);
  out.set(head, 0);
  out.set(info, head.length);
  out[out.length - 1] = 0x65; // 'e'
  return out;
}

export type Callback<T = void> = (err: Error | null, value?: T) => void;

export type ChunkGetOptions = { offset?: number; length?: number } | null | Callback<Uint8Array>;

/**
 * abstract-chunk-store's `get` over one transaction's bytes (its only chunk, index 0), answered in a
 * microtask; `unavailable` says why there are no bytes when `bytes` is null.
 */
export function getTxChunk(
  bytes: Uint8Array | null,
  unavailable: string,
  index: number,
  opts: ChunkGetOptions,
  cb?: Callback<Uint8Array>,
): void {
  const done = (typeof opts === 'function' ? opts : cb)!;
  const options = typeof opts === 'function' || opts === null ? {} : opts;
  queueMicrotask(() => {
    if (bytes === null) return done(new Error(unavailable));
    if (index !== 0) return done(new Error(`no chunk ${index}`));
    const offset = options.offset ?? 0;
    const length = options.length ?? bytes.length - offset;
    done(null, bytes.subarray(offset, offset + length));
  });
}

/**
 * An abstract-chunk-store holding one transaction's bytes (a tx.json is at most 1024 bytes: one piece).
 * Reads are served from memory; writes are refused, since a seeded transaction never changes.
 */
export class TxChunkStore {
  readonly chunkLength: number;
  private closed = false;

  constructor(private readonly bytes: Uint8Array) {
    this.chunkLength = PIECE_LENGTH; // the torrent's piece length; the one piece is shorter
  }

  get(index: number, opts: ChunkGetOptions, cb?: Callback<Uint8Array>): void {
    getTxChunk(this.closed ? null : this.bytes, 'storage is closed', index, opts, cb);
  }

  put(_index: number, _chunk: Uint8Array, cb?: Callback): void {
    queueMicrotask(() => cb?.(null));
  }

  close(cb?: Callback): void {
    this.closed = true;
    queueMicrotask(() => cb?.(null));
  }

  destroy(cb?: Callback): void {
    this.close(cb);
  }
}
