// A real bittorrent-tracker server on 127.0.0.1, port 0, for network tests. As in bittorrent-tracker's
// own tests, an `error` or `warning` from the server fails the test: close() rejects with every one
// heard, so a test that made the tracker complain cannot pass quietly.
import type { EventEmitter } from 'node:events';
import { Server } from 'bittorrent-tracker';

export interface TestTracker {
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** Announces the server has taken, by transport, since it started (benchmarks count announce rates). */
  readonly announces: { readonly ws: number; readonly http: number };
  /** Stops the server; rejects if it emitted any error or warning while it ran. */
  close(): Promise<void>;
  /**
   * Stops the server with peers still on it, as a crash would: every WebSocket is cut at once (close()
   * alone waits for them to go). Rejects like close().
   */
  kill(): Promise<void>;
}

export class TrackerTroubleError extends Error {
  override readonly name = 'TrackerTroubleError';
}

export interface TestTrackerOptions {
  /**
   * Peers leave in the middle of connecting (attack tests: a rogue that is dropped leaves at once), so an
   * answer the tracker relays may find its peer gone ("no peer with that `to_peer_id`"): not a fault then.
   */
  readonly peersLeaveMidOffer?: boolean;
}

/** Listens on `port` (default: one the OS picks). */
export async function startTestTracker(port = 0, options: TestTrackerOptions = {}): Promise<TestTracker> {
  const server = new Server({ udp: false, http: true, ws: true, stats: false });
  const trouble: string[] = [];
  server.on('error', (err: Error) => trouble.push(`error: ${err.message}`));
  server.on('warning', (err: Error) => {
    // A tab that closes while the tracker forwards an offer or answer to it: browsers do that, and the
    // tracker drops the message. Every other warning is a fault of the test or of the code under test.
    if (/^WebSocket is not open/.test(err.message)) return;
    if (options.peersLeaveMidOffer && /^no peer with that `to_peer_id`/.test(err.message)) return;
    trouble.push(`warning: ${err.message}`);
  });
  const announces = { ws: 0, http: 0 };
  // Every announce, HTTP or WebSocket, whatever its event, passes through the server's _onAnnounce.
  const internals = server as unknown as { _onAnnounce(params: { type: string }, cb: unknown): void };
  const onAnnounce = internals._onAnnounce.bind(server);
  internals._onAnnounce = (params, cb) => {
    if (params.type === 'ws' || params.type === 'http') announces[params.type]++;
    onAnnounce(params, cb);
  };
  // bittorrent-tracker keeps no list of its sockets (clientTracking: false): kept here for kill().
  const open = new Set<{ terminate(): void }>();
  const ws = (server as unknown as { ws: EventEmitter }).ws;
  ws.on('connection', (socket: EventEmitter & { terminate(): void }) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const bound = (server.http.address() as { port: number }).port;
  const close = async (): Promise<void> => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (trouble.length > 0)
      throw new TrackerTroubleError(`the test tracker complained: ${trouble.join('; ')}`);
  };
  return {
    wsUrl: `ws://127.0.0.1:${bound}`,
    httpUrl: `http://127.0.0.1:${bound}/announce`,
    announces,
    close,
    async kill() {
      for (const socket of open) socket.terminate();
      server.http.closeAllConnections();
      await close();
    },
  };
}
