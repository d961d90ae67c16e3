// Serves the built app from dist/: files as they are, index.html for any other path without a file
// extension (the app routes on the client), 404 for missing files. Hashed files under assets/ are cached
// for a year; everything else is revalidated (ETag), so a new build and its service worker reach users.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf } from './contentTypeOf.ts';

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

async function fileAt(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The file a URL path names inside `root`, or undefined for a path that tries to leave it. */
function pathInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.') && part !== '')) {
    return undefined;
  }
  const path = resolve(root, `.${decoded}`);
  return path.startsWith(root + sep) || path === root ? path : undefined;
}

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  options: StaticOptions,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'only GET and HEAD here', { Allow: 'GET, HEAD' });
    return;
  }
  const root = resolve(options.distDir);
  const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
  let path = pathInside(root, urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath);
  if (path === undefined) {
    sendText(res, 400, 'bad path');
    return;
  }
  let file = await fileAt(path);
  if (file === undefined && extname(path) === '') {
    path = join(root, 'index.html'); // client-side route
    file = await fileAt(path);
  }
  if (file === undefined) {
    const built = (await fileAt(join(root, 'index.html'))) !== undefined;
    sendText(res, built ? 404 : 503, built ? 'not found' : NOT_BUILT);
    return;
  }
  const relative = path
    .slice(root.length + 1)
    .split(sep)
    .join('/');
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  const type = contentTypeOf(path);
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Cache-Control': relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = options.csp(req);
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(file.size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(path), res);
}
