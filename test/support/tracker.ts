// A real bittorrent-tracker server on 127.0.0.1, port 0, for network tests.
import { Server } from 'bittorrent-tracker';

export interface TestTracker {
  readonly wsUrl: string;
  readonly httpUrl: string;
  close(): Promise<void>;
}

export async function startTestTracker(): Promise<TestTracker> {
  const server = new Server({ udp: false, http: true, ws: true, stats: false });
  server.on('error', (err: Error) => {
    throw err;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.http.address() as { port: number };
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}/announce`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
