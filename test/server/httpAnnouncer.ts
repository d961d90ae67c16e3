// Raw HTTP announces for tests, as a full node's rolling schedule sends them (numwant=0, left=0), from a
// chosen loopback address over a keep-alive agent: each answer says its status, the tracker's failure
// reason if any, and whether it came over a connection an earlier request had used.
import { Agent, request } from 'node:http';
import { randomHex20 } from './wsClient.ts';

export interface HttpAnswer {
  readonly status: number;
  /** The bencoded `failure reason`, if the tracker refused. */
  readonly failure: string | undefined;
  /** True if the request went over a connection kept alive from an earlier one. */
  readonly reusedSocket: boolean;
  /** Milliseconds from sending to the whole answer. */
  readonly ms: number;
}

const escapeHex = (hex: string): string => hex.replace(/../g, '%$&');

export interface HttpAnnouncer {
  /** Announces `infoHash`; resolves with the answer (rejects only on a transport error). */
  announce(infoHash: string): Promise<HttpAnswer>;
  /** Connections the agent opened so far. */
  readonly socketsOpened: number;
  destroy(): void;
}

/** An announcer from `localAddress` to `announceUrl`, at most `maxSockets` connections at once. */
export function httpAnnouncer(announceUrl: string, localAddress: string, maxSockets: number): HttpAnnouncer {
  const agent = new Agent({ keepAlive: true, maxSockets, localAddress });
  const peerId = randomHex20();
  let socketsOpened = 0;
  const counted = new WeakSet<object>();
  return {
    announce(infoHash) {
      const url =
        `${announceUrl}?info_hash=${escapeHex(infoHash)}&peer_id=${escapeHex(peerId)}&port=6881` +
        `&uploaded=0&downloaded=0&left=0&compact=1&numwant=0`;
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const req = request(url, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('latin1');
            const reason = /14:failure reason(\d+):/.exec(body);
            resolve({
              status: res.statusCode ?? 0,
              failure: reason
                ? body.slice(reason.index + reason[0].length).slice(0, Number(reason[1]))
                : undefined,
              reusedSocket: req.reusedSocket,
              ms: performance.now() - started,
            });
          });
        });
        req.on('socket', (socket) => {
          if (!counted.has(socket)) {
            counted.add(socket);
            socketsOpened++;
          }
        });
        req.on('error', reject);
        req.end();
      });
    },
    get socketsOpened() {
      return socketsOpened;
    },
    destroy: () => agent.destroy(),
  };
}

/** Announces every infohash, `concurrency` in flight at once; the answers in order. */
export async function announceEach(
  announcer: HttpAnnouncer,
  infoHashes: readonly string[],
  concurrency: number,
): Promise<HttpAnswer[]> {
  const answers: HttpAnswer[] = new Array(infoHashes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < infoHashes.length) {
      const i = next++;
      answers[i] = await announcer.announce(infoHashes[i]!);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}
