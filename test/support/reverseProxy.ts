// A small reverse proxy for tests, as Caddy or nginx run in front of the tracker and the app in
// docs/deploy.md: node:http forwards requests, and WebSocket upgrades are piped over node:net, each with
// the client's address appended to X-Forwarded-For. It connects upstream from `localAddress`, so a test
// can list (or not) that address as a trusted proxy.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ReverseProxy {
  /** http://127.0.0.1:port */
  readonly url: string;
  /** ws://127.0.0.1:port */
  readonly wsUrl: string;
  close(): Promise<void>;
}

function forwardedHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const before = req.headers['x-forwarded-for'];
  return { ...req.headers, 'x-forwarded-for': before ? `${before}, ${client}` : client };
}

export async function startReverseProxy(target: URL, localAddress: string): Promise<ReverseProxy> {
  const upstream = { host: target.hostname, port: Number(target.port), localAddress };
  const upgraded = new Set<Socket>();
  const server = createServer((req, res) => {
    const out = request(
      { ...upstream, path: req.url, method: req.method, headers: forwardedHeaders(req), agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const out = connect(upstream, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(forwardedHeaders(req))) {
        for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
      }
      out.write(`${lines.join('\r\n')}\r\n\r\n`);
      out.write(head);
      client.pipe(out).pipe(client);
    });
    for (const s of [client, out]) {
      upgraded.add(s);
      s.on('close', () => upgraded.delete(s));
      s.on('error', () => {
        client.destroy();
        out.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const s of upgraded) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
