// A real bittorrent-tracker server on 127.0.0.1, port 0, for network tests.
import { Server } from 'bittorrent-tracker';

export interface TestTracker {
  readonly wsUrl: string;
  readonly httpUrl: string;
  close(): Promise<void>;
}

/** Listens on `port` (default: one the OS picks). */
export async function startTestTracker(port = 0): Promise<TestTracker> {
  const server = new Server({ udp: false, http: true, ws: true, stats: false });
  server.on('error', (err: Error) => {
    throw err;
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const bound = (server.http.address() as { port: number }).port;
  return {
    wsUrl: `ws://127.0.0.1:${bound}`,
    httpUrl: `http://127.0.0.1:${bound}/announce`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
