// The app server: node:http serving the built PWA and the node's small API (network config, faucet,
// tracker record). API routes match exact paths; every other path is the app's.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from './listen.ts';
import { sendError } from './sendJson.ts';
import { serveApp, type StaticOptions } from './serveApp.ts';
import { urlHost } from './urlHost.ts';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface AppServerOptions extends StaticOptions {
  readonly host: string;
  readonly port: number;
  /** Exact URL paths (without query) to their handlers. */
  readonly routes: ReadonlyMap<string, Route>;
  readonly log: (line: string) => void;
}

export interface AppServer {
  readonly port: number;
  /** http://host:port/ */
  readonly url: string;
  close(): Promise<void>;
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const serveStatic = serveApp(options);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = options.routes.get(path);
    if (route !== undefined) await route(req, res);
    else if (path.startsWith('/api/')) sendError(res, 404, `no API at ${path}`);
    else serveStatic(req, res);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A client that went away mid-answer is not worth a log line; anything else is.
      if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        options.log(`app server: ${req.method} ${req.url}: ${(err as Error).message}`);
      }
      if (!res.headersSent) sendError(res, 500, 'internal error');
      else res.destroy();
    });
  });
  const port = await listen(server, options.port, options.host, '--port');
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${urlHost(options.host)}:${port}/`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
