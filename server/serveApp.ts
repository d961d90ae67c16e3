// Serves the built app from dist/ through sirv: files as they are, gzip or brotli where the build wrote a
// precompressed twin (vite.config.ts) and the browser accepts it, index.html for any path without a file
// extension (the app routes on the client). Hashed files under assets/ are cached for a year; everything
// else is revalidated (ETag), so a new build and its service worker reach users. HTML answers carry the
// Content-Security-Policy. Files are looked up on each request, so a build made while the server runs is
// served without a restart.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { lookup } from 'mrmime';
import sirv from 'sirv';

export interface StaticOptions {
  readonly distDir: string;
  /** The Content-Security-Policy for HTML answers. */
  readonly csp: (req: IncomingMessage) => string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export const NOT_BUILT = 'The app is not built: run `npm run build` first, then reload.';

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/**
 * Refuses what sirv would only resolve safely by luck: dot segments (`..`, `.env`, `.well-known`), NUL,
 * backslashes and percent-encoded separators. The path is checked after percent-decoding.
 */
function pathProblem(urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return 'the path is not valid percent-encoding';
  }
  if (/[\0\\]/.test(decoded)) return 'the path holds a NUL or a backslash';
  if (decoded.split('/').some((part) => part.startsWith('.'))) return 'the path holds a dot segment';
  return undefined;
}

/** The type of what a path is answered with: index.html for paths without an extension. */
function contentTypeFor(urlPath: string): string | undefined {
  const ext = extname(urlPath);
  const type = ext === '' || ext === '.html' ? 'text/html' : lookup(urlPath);
  if (type === undefined) return undefined;
  // Text a browser must read as UTF-8: the build writes nothing else.
  const textual = type.startsWith('text/') || /[/+]json$/.test(type) || type === 'image/svg+xml';
  return textual ? `${type}; charset=utf-8` : type;
}

/** A request handler for the app in `options.distDir`. */
export function serveApp(options: StaticOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(options.distDir);
  const files = sirv(root, {
    dev: true, // look files up per request, not once at start
    etag: true,
    single: true,
    gzip: true,
    brotli: true,
    dotfiles: false,
    setHeaders(res, pathname) {
      const type = contentTypeFor(pathname);
      if (type !== undefined) res.setHeader('Content-Type', type);
      res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      if (type?.startsWith('text/html')) res.setHeader('Content-Security-Policy', options.csp(res.req));
    },
    onNoMatch(_req, res) {
      if (existsSync(join(root, 'index.html'))) sendText(res, 404, 'not found');
      else sendText(res, 503, NOT_BUILT);
    },
  });
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'only GET and HEAD here', { Allow: 'GET, HEAD' });
    }
    // The raw path, as sirv reads it: URL parsing would resolve `%2e%2e` before the check could see it.
    const problem = pathProblem((req.url ?? '/').split(/[?#]/)[0]!);
    if (problem !== undefined) return sendText(res, 400, `bad path: ${problem}`);
    files(req, res);
  };
}
