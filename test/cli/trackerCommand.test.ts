// `torrenttx tracker` as a user runs it: a child process that serves WebSocket and HTTP on one port,
// records every infohash announced to it, writes that record when SIGTERM closes it, and says what is
// wrong with bad arguments in one line (exit 2).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/torrenttx.js');
const dir = mkdtempSync(join(tmpdir(), 'ttx-tracker-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failing(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [BIN, ...args]);
    return { code: 0, stderr: '' };
  } catch (err) {
    return err as { code: number; stderr: string };
  }
}

/** `%xx` for every byte: how BitTorrent clients put a binary infohash in an announce URL. */
function escapeBytes(hex: string): string {
  return hex.replace(/../g, '%$&');
}

it('serves announces, and writes the record of infohashes when SIGTERM closes it', async () => {
  const data = join(dir, 'data');
  const child = spawn(process.execPath, [BIN, 'tracker', '--port', '0', '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const announceUrl = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /tracker listening: ws:\/\/\S+ (http:\/\/\S+\/announce)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`tracker exited ${code}: ${out}`)));
  });
  const infoHash = 'ab'.repeat(20);
  const query = `info_hash=${escapeBytes(infoHash)}&peer_id=${escapeBytes('cd'.repeat(20))}&port=6881&uploaded=0&downloaded=0&left=0&event=started`;
  const response = await fetch(`${announceUrl}?${query}`);
  expect(response.status).toBe(200);
  expect(Buffer.from(await response.arrayBuffer()).toString('latin1')).toMatch(/^d.*8:intervali\d+e/);
  const exit = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(`${code} ${signal}`)),
  );
  child.kill('SIGTERM');
  expect(await exit).toBe('0 null');
  expect(out).toMatch(/SIGTERM: closing the tracker/);
  expect(readFileSync(join(data, 'tracker-record.json'), 'utf8')).toContain(infoHash);
}, 60_000);

it('bad arguments and a port in use: one line, exit 2', async () => {
  const badPort = await failing('tracker', '--port', 'x');
  expect(badPort.code).toBe(2);
  expect(badPort.stderr).toMatch(/^torrenttx: --port must be a whole number, got "x"\n$/);
  const badNode = await failing('tracker', '--known-node', '10.0.0.0/33');
  expect(badNode.code).toBe(2);
  expect(badNode.stderr).toBe('torrenttx: --known-node "10.0.0.0/33": the prefix length must be 0 to 32\n');
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const { port } = busy.address() as { port: number };
  try {
    const inUse = await failing('tracker', '--port', String(port), '--data', join(dir, 'busy'));
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toMatch(new RegExp(`^torrenttx: port ${port} is in use: .*--port N\\n$`));
  } finally {
    busy.close();
  }
}, 60_000);
