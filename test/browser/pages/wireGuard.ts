// The wireGuard test page: webtorrent's browser bundle (the one the network worker loads) on the main
// thread, with guardWireLength installed from every torrent's 'wire' event, as NetworkNode does. It
// seeds or fetches one file, and can turn rogue: announce a 2^31 − 1 byte message on its wire and
// stream data until the other side closes it. Exposes `window.wireGuardTest`.
import WebTorrentBundle from 'webtorrent/dist/webtorrent.min.js';
import { guardWireLength } from '../../../src/net/exchange/guardWireLength.ts';
import { announceHugeMessage, type AttackResult, type RogueWire } from '../../support/hugeMessageAttack.ts';
import { base64ToBytes } from './base64.ts';

export interface WireGuardPageApi {
  seed(base64: string, trackerUrl: string): Promise<string>;
  /** Fetches the file; resolves with its length once done. */
  fetch(magnetURI: string, trackerUrl: string): Promise<number>;
  attack(): Promise<AttackResult>;
  /** What the guard reported on this page's wires, then every client error and warning. */
  problems(): { guard: string[]; client: string[] };
  openWires(): number;
  destroy(): Promise<void>;
}

interface PageTorrent {
  readonly magnetURI: string;
  readonly length: number;
  readonly wires: RogueWire[];
  readonly discovery?: { tracker?: { update?(): void } } | null;
  on(event: 'wire', listener: (wire: RogueWire) => void): void;
  on(event: 'error' | 'warning', listener: (err: Error | string) => void): void;
  once(event: 'done' | 'ready', listener: () => void): void;
}

interface PageClient {
  seed(input: File, opts: { announce: string[] }, onseed: (torrent: PageTorrent) => void): PageTorrent;
  add(torrentId: string, opts: { announce: string[] }): PageTorrent;
  on(event: 'error' | 'warning', listener: (err: Error | string) => void): void;
  destroy(cb?: (err?: Error | string) => void): void;
}

const client = new (WebTorrentBundle as unknown as new (opts: object) => PageClient)({
  tracker: { rtcConfig: { iceServers: [] } },
  dht: false,
  lsd: false,
  utp: false,
  webSeeds: false,
});
/** How often a fetch with no wire up announces again. */
const RETRY_MS = 5000;
const guard: string[] = [];
const clientProblems: string[] = [];
const note = (source: string) => (err: Error | string) =>
  clientProblems.push(`${source}: ${typeof err === 'string' ? err : err.message}`);
client.on('error', note('client error'));
client.on('warning', note('client warning'));
let torrent: PageTorrent | undefined;

function watch(t: PageTorrent): PageTorrent {
  torrent = t;
  t.on('wire', (wire) => guardWireLength(wire, (problem) => guard.push(problem)));
  t.on('error', note('torrent error'));
  return t;
}

const api: WireGuardPageApi = {
  seed: (base64, trackerUrl) =>
    new Promise((resolve) => {
      const file = new File([base64ToBytes(base64)], 'block.bin');
      watch(client.seed(file, { announce: [trackerUrl] }, (ready) => resolve(ready.magnetURI)));
    }),

  fetch: (magnetURI, trackerUrl) =>
    new Promise((resolve) => {
      const t = watch(client.add(magnetURI, { announce: [trackerUrl] }));
      // A WebRTC connection that fails to form on a loaded machine is otherwise retried only at the
      // tracker's interval (minutes): while no wire is up, announce again with fresh offers (as the
      // Node rogue peers do, test/support/roguePeer.ts).
      const retry = setInterval(() => {
        if (t.wires.length === 0) t.discovery?.tracker?.update?.();
      }, RETRY_MS);
      t.once('done', () => {
        clearInterval(retry);
        resolve(t.length);
      });
    }),

  attack: () => announceHugeMessage(torrent!.wires[0]!, 64 * 2 ** 20),

  problems: () => ({ guard: [...guard], client: [...clientProblems] }),
  openWires: () => torrent?.wires.length ?? 0,

  destroy: () =>
    new Promise((resolve, reject) =>
      client.destroy((err) => (err ? reject(new Error(String(err))) : resolve())),
    ),
};

(window as unknown as { wireGuardTest: WireGuardPageApi }).wireGuardTest = api;
