// Fetches one transaction as a torrent, by its id (the infohash of its `tx` folder, txTorrent.ts), from
// any BitTorrent peer that seeds it: `client.add(id)`, ut_metadata for the info dictionary, the one
// piece, then the torrent is destroyed and the bytes returned. What a hostile seeder could make it hold
// is bounded: a peer whose extended handshake declares metadata over MAX_TX_METADATA_BYTES is
// disconnected before any is sent; a torrent whose metadata is not one file of at most MAX_TX_BYTES is
// dropped on its 'metadata' event; the chunk store keeps one piece of at most MAX_TX_BYTES; the bytes
// must hash to the id asked (txIdOf), so only the exact tx.json of that id comes back. Every wire is
// also guarded for message length (exchange/guardWireLength.ts).
// A fetch with nobody to fetch from ends at once, with TorrentNoPeerError, when every tracker answers
// that the swarm holds nobody else (what a made-up id in a poisoned record gives; the first announce makes
// no WebRTC offer, so that costs one tracker message). A fetch that has no peer connected
// FETCH_NO_PEER_MS after it started ends too, as an ordinary failure (a swarm held by peers that never
// answer, or a connection slow to form).
import { MAX_TX_BYTES } from '../../core/tx.ts';
import { txIdOf } from '../../core/txId.ts';
import { guardWireLength } from '../exchange/guardWireLength.ts';
import type { GossipWire } from '../txGossip.ts';
import { getTxChunk, type Callback, type ChunkGetOptions } from '../txTorrent.ts';
import type { TorrentLike, WebTorrentLike } from '../webTorrentTypes.ts';

/**
 * WebRTC offers a fetch makes per announce once the swarm has someone (bittorrent-tracker makes
 * min(numwant, 5)); each is an RTCPeerConnection until answered, refused or 50 s old (its
 * OFFER_TIMEOUT), and all go when the fetch's torrent is destroyed. A fetch announces with offers at
 * most FETCH_TIMEOUT_MS / FETCH_REANNOUNCE_MS + 1 = 3 times, so MAX_CONCURRENT_FETCHES fetches hold at
 * most 4 × 3 × 1 = 12 connections of a tab's ~30.
 */
export const FETCH_OFFERS = 1;
/**
 * While a fetch has no peer, it announces again with a fresh offer this often: an offer lost or a
 * connection that failed (a loaded machine) is otherwise retried only at the tracker's interval (minutes).
 */
export const FETCH_REANNOUNCE_MS = 15_000;
/** A fetch that has no peer this long after it started ends (a swarm whose peers never connect). */
export const FETCH_NO_PEER_MS = 20_000;
/** A tx torrent's bencoded info dictionary is ~150 bytes; nothing legitimate declares more than this. */
export const MAX_TX_METADATA_BYTES = 1024;

export class TorrentFetchError extends Error {
  override readonly name = 'TorrentFetchError';
}

/** The fetch found nobody to fetch from: every tracker said the swarm holds no one else. */
export class TorrentNoPeerError extends Error {
  override readonly name = 'TorrentNoPeerError';
}

/** A tracker's answer to an announce, as bittorrent-tracker's client emits it ('update'). */
interface AnnounceAnswer {
  readonly announce?: string;
  readonly complete?: number;
  readonly incomplete?: number;
}

/** A chunk store for one transaction: one piece of at most MAX_TX_BYTES, kept in memory. */
class OneTxStore {
  readonly chunkLength: number;
  bytes: Uint8Array | null = null;

  constructor(chunkLength: number) {
    this.chunkLength = chunkLength;
  }

  put(index: number, chunk: Uint8Array, cb?: Callback): void {
    if (index !== 0 || chunk.length > MAX_TX_BYTES) {
      queueMicrotask(() =>
        cb?.(new TorrentFetchError('not a transaction torrent: more than one small piece')),
      );
      return;
    }
    this.bytes = chunk.slice();
    queueMicrotask(() => cb?.(null));
  }

  get(index: number, opts: ChunkGetOptions, cb?: Callback<Uint8Array>): void {
    getTxChunk(this.bytes, 'not fetched yet', index, opts, cb);
  }

  close(cb?: Callback): void {
    queueMicrotask(() => cb?.(null));
  }

  destroy(cb?: Callback): void {
    this.bytes = null;
    this.close(cb);
  }
}

/** What a fetch torrent shows besides TorrentLike (webtorrent's lib/torrent.js). */
interface FetchTorrent extends TorrentLike {
  readonly length: number;
  readonly files: readonly unknown[];
  readonly destroyed: boolean;
  on(event: 'metadata' | 'done' | 'ready' | 'infoHash', listener: () => void): void;
  on(event: 'wire', listener: (wire: GossipWire) => void): void;
  on(event: 'error' | 'warning', listener: (err: Error | string) => void): void;
}

interface ExtendedWire extends GossipWire {
  on(event: 'extended', listener: (ext: string, payload: unknown) => void): void;
}

export interface FetchTxOptions {
  readonly trackers: readonly string[];
  /** Ends the fetch (the scheduler's time-out): the torrent is destroyed and the promise rejects. */
  readonly signal: AbortSignal;
  /** A wire of the fetch broke the message-length bound. */
  readonly onMisbehaviour?: (peerId: string, problem: string) => void;
  /** Default FETCH_REANNOUNCE_MS. */
  readonly reannounceMs?: number;
  /** Default FETCH_NO_PEER_MS. */
  readonly noPeerMs?: number;
}

/**
 * Resolves with the tx.json bytes of `id`, fetched as a torrent; rejects with TorrentNoPeerError when
 * the trackers know nobody who holds it, TorrentFetchError otherwise.
 */
export function fetchTxTorrent(
  client: WebTorrentLike,
  id: string,
  options: FetchTxOptions,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(new TorrentFetchError(`fetch of ${id} cancelled`));
    let store: OneTxStore | undefined;
    const Store = class extends OneTxStore {
      constructor(chunkLength: number) {
        super(chunkLength);
        store = this; // eslint-disable-line @typescript-eslint/no-this-alias
      }
    };
    const torrent = client.add(id, {
      announce: [...options.trackers],
      store: Store,
      storeCacheSlots: 0,
      // `left` unset is NaN before the metadata, which the tracker reads as 0: a seeder. A fetcher is not
      // one, and counted as one it would hide that nobody seeds the id (watchSwarm).
      getAnnounceOpts: () => ({ numwant: offers, left: MAX_TX_BYTES }),
    } as Parameters<WebTorrentLike['add']>[1]) as FetchTorrent;
    // The first announce asks how many are in the swarm and makes no offer (no RTCPeerConnection): for a
    // made-up id that is all the fetch costs. Offers go once a tracker says someone is there.
    let offers = 0;
    let settled = false;
    const announceWithOffers = () => {
      offers = FETCH_OFFERS;
      const tracker = torrent.discovery?.tracker as { update?(): void } | undefined;
      if (torrent.numPeers === 0) tracker?.update?.();
    };
    const reannounce = setInterval(announceWithOffers, options.reannounceMs ?? FETCH_REANNOUNCE_MS);
    const noPeer = setTimeout(() => {
      // Someone may be there (a slow connection on a loaded machine): a failed try, not "nobody".
      if (torrent.numPeers === 0) finish({ error: `no peer of ${id} connected in time` });
    }, options.noPeerMs ?? FETCH_NO_PEER_MS);
    const finish = (outcome: { bytes: Uint8Array } | { error: string } | { noPeer: string }): void => {
      if (settled) return;
      settled = true;
      clearInterval(reannounce);
      clearTimeout(noPeer);
      options.signal.removeEventListener('abort', onAbort);
      const end = () =>
        'bytes' in outcome
          ? resolve(outcome.bytes)
          : reject(
              'noPeer' in outcome
                ? new TorrentNoPeerError(outcome.noPeer)
                : new TorrentFetchError(outcome.error),
            );
      if (torrent.destroyed) return end();
      torrent.destroy({ destroyStore: true }, () => end());
    };
    const onAbort = () => finish({ error: `fetch of ${id} cancelled` });
    options.signal.addEventListener('abort', onAbort);
    // Fetch trouble (no peer, a peer gone) is expected and ends in the time-out; it is no client error.
    torrent.on('error', (err) => finish({ error: `torrent ${id}: ${String(err)}` }));
    torrent.on('warning', () => undefined);
    watchSwarm(torrent, options.trackers.length, {
      empty: () => finish({ noPeer: `no tracker knows a seeder of ${id}` }),
      someone: () => {
        if (offers === 0) announceWithOffers();
      },
      // Nothing to watch (not started yet, or another build): its first announce makes offers.
      unwatched: () => (offers = FETCH_OFFERS),
    });
    torrent.on('wire', (wire) => {
      guardWireLength(wire, (problem) => options.onMisbehaviour?.(wire.peerId ?? 'unknown', problem));
      (wire as ExtendedWire).on('extended', (ext, handshake) => {
        if (ext !== 'handshake') return;
        const size = (handshake as { metadata_size?: unknown }).metadata_size;
        if (typeof size === 'number' && size > MAX_TX_METADATA_BYTES) wire.destroy();
      });
    });
    torrent.on('metadata', () => {
      if (torrent.files.length !== 1 || torrent.length > MAX_TX_BYTES) {
        finish({
          error: `${id} is not a transaction torrent (${torrent.files.length} files, ${torrent.length} bytes)`,
        });
      }
    });
    torrent.on('done', () => {
      const bytes = store?.bytes;
      if (!bytes) return finish({ error: `torrent ${id} is done but holds no bytes` });
      if (txIdOf(bytes) !== id) return finish({ error: `the bytes of torrent ${id} are not its tx.json` });
      finish({ bytes });
    });
  });
}

/**
 * Tells `on.empty` once every one of `trackers` announce URLs has answered that the swarm holds nobody
 * but this fetcher (no seeder, one leecher) while the torrent has no peer, and `on.someone` at each
 * answer that it holds more. Another leecher may be a seeder that announced before its pieces were
 * checked (webtorrent's first announce can say so), or another node's fetch: then the fetch makes its
 * offers and waits, at most FETCH_NO_PEER_MS. The tracker client exists once the torrent's discovery
 * starts, synchronously after 'infoHash' on a listening client (a node's is: its swarm came first);
 * its first answer comes later. Without one then, `on.unwatched` is told before it starts.
 */
function watchSwarm(
  torrent: FetchTorrent,
  trackers: number,
  on: { empty(): void; someone(): void; unwatched(): void },
): void {
  torrent.on('infoHash', () =>
    queueMicrotask(() => {
      const tracker = torrent.discovery?.tracker as
        { on?(event: 'update', listener: (answer: AnnounceAnswer) => void): void } | undefined;
      if (!tracker?.on) return on.unwatched();
      const empty = new Set<string>();
      tracker.on('update', (answer) => {
        if (torrent.numPeers > 0) return;
        if (answer.complete !== 0 || (answer.incomplete ?? 0) > 1) return on.someone();
        empty.add(answer.announce ?? '');
        if (empty.size >= trackers) on.empty();
      });
    }),
  );
}
