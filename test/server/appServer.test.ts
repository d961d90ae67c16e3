// The app server: the built app with the right types, caching, compression and CSP (from a tiny stand-in
// for dist/, so no Vite build is needed), the SPA fallback, path checks, and the one-line answer to a
// port already in use.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/appServer.ts';
import { startDevnet, type RunningDevnet } from '../../server/startDevnet.ts';
import { makeTempDir, TINY_INDEX, writeTinyDist, type TempDir } from './tempDir.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let temp: TempDir;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await temp.remove();
});

async function app(distDir?: string): Promise<AppServer> {
  const server = await startAppServer({
    host: '127.0.0.1',
    port: 0,
    distDir: distDir ?? (await writeTinyDist(join(temp.path, 'dist'))),
    csp: () => "default-src 'self'",
    routes: new Map(),
    log: () => {},
  });
  closers.push(() => server.close());
  return server;
}

async function devnet(extra: { port?: number; trackerPort?: number } = {}): Promise<RunningDevnet> {
  const started = await startDevnet({
    port: 0,
    trackerPort: 0,
    host: '127.0.0.1',
    dataDir: join(temp.path, 'data'),
    distDir: await writeTinyDist(join(temp.path, 'dist')),
    log: () => {},
    ...extra,
  });
  closers.push(() => started.close());
  return started;
}

/** A GET with the path sent exactly as given (no URL normalising) and the body as it came (not decoded). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | undefined>; raw: Buffer; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const flat = Object.fromEntries(
          Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
        );
        resolve({ status: res.statusCode!, headers: flat, raw, body: raw.toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Holds a port on 127.0.0.1, as another program would. */
async function busyPort(): Promise<number> {
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => holder.close(() => resolve())));
  return (holder.address() as { port: number }).port;
}

describe('serving the built app', () => {
  it('serves index.html with the CSP (WebSockets to any tracker host), and no-cache', async () => {
    const d = await devnet();
    const res = await fetch(d.appUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(TINY_INDEX);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; connect-src 'self' wss: ws:; worker-src 'self' blob:; manifest-src 'self'; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    );
  });

  it('falls back to index.html for client routes, 404 for missing files and unknown API paths', async () => {
    const a = await app();
    const route = await fetch(new URL('/wallet/send', a.url));
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(TINY_INDEX);
    expect(route.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect((await fetch(new URL('/assets/missing-123.js', a.url))).status).toBe(404);
    const api = await fetch(new URL('/api/nothing', a.url));
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'no API at /api/nothing' });
  });

  it('gives scripts, workers and the manifest their types, and caches only hashed assets long', async () => {
    const a = await app();
    const expectations: [string, string, string][] = [
      ['/assets/app-1a2b3c.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      [
        '/assets/ledger.worker-9f8e7d.js',
        'text/javascript; charset=utf-8',
        'public, max-age=31536000, immutable',
      ],
      ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
    ];
    for (const [path, type, cache] of expectations) {
      const res = await fetch(new URL(path, a.url));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('cache-control'), path).toBe(cache);
      expect(res.headers.get('content-security-policy'), path).toBeNull();
    }
    const first = await fetch(new URL('/sw.js', a.url));
    const again = await fetch(new URL('/sw.js', a.url), {
      headers: { 'If-None-Match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('never serves a file outside dist/, nor a dotfile inside it', async () => {
    const dist = await writeTinyDist(join(temp.path, 'inner', 'dist'));
    const a = await app(dist);
    await writeFile(join(temp.path, 'inner', 'secret.txt'), 'secret');
    await writeFile(join(dist, '.env'), 'secret');
    // fetch() would resolve `..` itself: the raw request line goes as written.
    for (const path of [
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%00.js',
      '/.env',
      '/assets/..%5c..%5csecret.txt',
    ]) {
      const res = await rawGet(a.port, path);
      expect(res.status, path).toBe(400);
      expect(res.body, path).toMatch(/^bad path: /);
    }
    const res = await fetch(new URL('/../secret.txt', a.url)); // resolved to /secret.txt: not in dist
    expect(res.status).toBe(404);
  });

  it('sends the build’s brotli or gzip twin to a browser that accepts it, the file itself otherwise', async () => {
    const dist = await writeTinyDist(join(temp.path, 'dist'));
    const big = `console.log(${JSON.stringify('x'.repeat(5000))});`;
    await writeFile(join(dist, 'assets', 'big-1a2b3c.js'), big);
    await writeFile(join(dist, 'assets', 'big-1a2b3c.js.br'), brotliCompressSync(big));
    await writeFile(join(dist, 'assets', 'big-1a2b3c.js.gz'), gzipSync(big));
    const a = await app(dist);
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const res = await rawGet(a.port, '/assets/big-1a2b3c.js', { 'Accept-Encoding': accept });
      expect(res.headers['content-encoding'] ?? null, accept).toBe(encoding);
      expect(res.headers['vary'], accept).toBe('Accept-Encoding');
      expect(res.headers['content-type'], accept).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control'], accept).toBe('public, max-age=31536000, immutable');
      const body =
        encoding === 'br'
          ? brotliDecompressSync(res.raw)
          : encoding === 'gzip'
            ? gunzipSync(res.raw)
            : res.raw;
      expect(body.toString(), accept).toBe(big);
      expect(Number(res.headers['content-length']), accept).toBe(res.raw.length);
    }
    // index.html compressed keeps its CSP.
    await writeFile(join(dist, 'index.html.br'), brotliCompressSync(TINY_INDEX));
    const index = await rawGet(a.port, '/', { 'Accept-Encoding': 'br' });
    expect(index.headers['content-encoding']).toBe('br');
    expect(index.headers['content-security-policy']).toBe("default-src 'self'");
  });

  it('answers only GET and HEAD', async () => {
    const a = await app();
    const res = await fetch(a.url, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(new URL('/sw.js', a.url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('says to run the build when dist/ is missing', async () => {
    const a = await app(join(temp.path, 'no-dist'));
    const res = await fetch(a.url);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('The app is not built: run `npm run build` first, then reload.');
  });
});

describe('ports in use', () => {
  it('rejects with a one-line ListenError naming the flag', async () => {
    const port = await busyPort();
    await expect(devnet({ port })).rejects.toMatchObject({
      name: 'ListenError',
      message: `port ${port} is in use: stop the other program or pass --port N`,
    });
    await expect(devnet({ trackerPort: port })).rejects.toMatchObject({
      name: 'ListenError',
      message: `port ${port} is in use: stop the other program or pass --tracker-port N`,
    });
  });

  it('makes `tsx server/main.ts` print that line and exit 1, without a stack trace', async () => {
    const port = await busyPort();
    const dist = await writeTinyDist(join(temp.path, 'dist'));
    // --data and --dist keep the child away from the project's own .devnet/ and dist/.
    const args = [
      '--port',
      String(port),
      '--tracker-port',
      '0',
      '--data',
      join(temp.path, 'data'),
      '--dist',
      dist,
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`port ${port} is in use: stop the other program or pass --port N`);
  });
});
