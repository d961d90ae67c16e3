// Counts what a webtorrent client's wires carry, for the benchmarks: every byte both ways (the BitTorrent
// handshake, the extended handshake, gossip frames, everything the bittorrent-protocol Wire sends or
// is given), and the gossip frames (ut_ttx) by type each way. Wraps client.add, so torrents added later
// (the swarm on start(), transaction torrents) are counted too; install it before the client adds any.
// `only` picks the torrents counted by infohash (e.g. the network swarm alone); several counters stack.
import type { EventEmitter } from 'node:events';
import { gossipFrameName } from '../../src/net/gossipFrameNames.ts';
import { EXTENSION_NAME } from '../../src/net/txWireProtocol.ts';
import type { WebTorrentLike } from '../../src/net/webTorrentTypes.ts';

export interface WireCounts {
  /** Bytes this client's wires sent and received. */
  sent: number;
  received: number;
  /** Gossip frames by type, each way. */
  framesSent: Record<string, number>;
  framesReceived: Record<string, number>;
  /** Wires opened so far, and when the first one did (performance.now()). */
  wires: number;
  firstWireAt: number | undefined;
}

type CountedWire = EventEmitter & {
  write: (...a: unknown[]) => boolean;
  extended: (ext: string | number, payload: Uint8Array) => void;
};

function countFrame(into: Record<string, number>, frame: Uint8Array): void {
  const type = gossipFrameName(frame);
  into[type] = (into[type] ?? 0) + 1;
}

export function countWires(
  client: WebTorrentLike,
  only: (infoHash: string) => boolean = () => true,
): WireCounts {
  const counts: WireCounts = {
    sent: 0,
    received: 0,
    framesSent: {},
    framesReceived: {},
    wires: 0,
    firstWireAt: undefined,
  };
  const add = client.add.bind(client);
  client.add = ((...args: Parameters<typeof add>) => {
    const torrent = add(...args);
    (torrent as unknown as EventEmitter).on('wire', (wire: CountedWire) => {
      if (!only(torrent.infoHash)) return;
      counts.wires++;
      counts.firstWireAt ??= performance.now();
      // A Wire is a duplex stream: what it emits goes to the connection, what is written to it came in.
      wire.on('data', (chunk: Uint8Array) => (counts.sent += chunk.length));
      const write = wire.write.bind(wire);
      wire.write = (chunk: unknown, ...rest: unknown[]) => {
        if (chunk instanceof Uint8Array) counts.received += chunk.length;
        return write(chunk, ...rest);
      };
      const extended = wire.extended.bind(wire);
      wire.extended = (ext, payload) => {
        if (ext === EXTENSION_NAME) countFrame(counts.framesSent, payload);
        extended(ext, payload);
      };
      wire.on('extended', (ext: string, payload: Uint8Array) => {
        if (ext === EXTENSION_NAME) countFrame(counts.framesReceived, payload);
      });
    });
    return torrent;
  }) as typeof add;
  return counts;
}
