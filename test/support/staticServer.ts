// A plain static web host for tests of a deployment: files from a folder through sirv, with no header of
// the app's own (no Content-Security-Policy, no /network.json, no API), as a CDN or GitHub Pages would
// serve them. Every requested path is kept, so a test can tell what the app asked for.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export interface StaticServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  /** Every path requested so far, in order. */
  readonly requested: string[];
  close(): Promise<void>;
}

export async function startStaticServer(dir: string): Promise<StaticServer> {
  const files = sirv(dir, { dev: true });
  const requested: string[] = [];
  const server = createServer((req, res) => {
    requested.push((req.url ?? '/').split('?')[0]!);
    files(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
