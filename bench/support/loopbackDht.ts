// A mainline DHT node on loopback for the full node to bootstrap from, counting the announce_peer
// queries it takes. It is webtorrent's own DHT (bittorrent-dht, as the node runs it) in a client that
// holds no torrent; with the node as its only neighbour, every announce the node makes reaches it.
import { once } from 'node:events';
import WebTorrent from 'webtorrent';

interface DhtNode {
  on(event: 'announce_peer', listener: () => void): void;
  once(event: 'listening', listener: () => void): void;
  address(): { port: number } | null;
  listening: boolean;
}

export interface LoopbackDht {
  /** HOST:PORT, for the node's --dht-bootstrap. */
  readonly bootstrap: string;
  /** announce_peer queries taken so far. */
  readonly announces: number;
  close(): Promise<void>;
}

export async function startLoopbackDht(): Promise<LoopbackDht> {
  const client = new WebTorrent({
    dht: { bootstrap: [] },
    tracker: false,
    lsd: false,
    utp: false,
    webSeeds: false,
    natUpnp: false,
    natPmp: false,
  } as ConstructorParameters<typeof WebTorrent>[0]);
  const dht = (client as unknown as { dht: DhtNode }).dht;
  let announces = 0;
  dht.on('announce_peer', () => announces++);
  if (!dht.listening) await once(dht as unknown as NodeJS.EventEmitter, 'listening');
  return {
    bootstrap: `127.0.0.1:${dht.address()!.port}`,
    get announces() {
      return announces;
    },
    close: () => new Promise<void>((resolve) => client.destroy(() => resolve())),
  };
}
