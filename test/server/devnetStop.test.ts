// One Ctrl-C stops `npm start`'s devnet, closed properly, every time. A terminal sends SIGINT to its whole
// foreground process group; this test does the same to the command `npm start` runs after its build (read
// from package.json, so the test follows the script), started in a process group of its own. Before the
// devnet ran under tsx's CLI, which relays the signal to its child again when the child is slow to report
// it, and then SIGKILLs it: the devnet exited without closing ("SIGINT again", or exit 130) in some stops.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_RECORD_FILE } from '../../server/trackerRecord.ts';
import { makeTempDir, writeTinyDist, type TempDir } from './tempDir.ts';

const PROJECT_ROOT = join(import.meta.dirname, '../..');
const STOPS = 20;

/** The part of `npm start` after `vite build &&`: the command that runs the devnet. */
function devnetCommand(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const parts = pkg.scripts.start!.split('&&').map((part) => part.trim());
  expect(parts[0]).toBe('vite build');
  return parts[1]!;
}

interface Stop {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** Starts the devnet in its own process group, waits until it runs, sends SIGINT to the group once. */
async function startAndInterrupt(command: string, dataDir: string, distDir: string): Promise<Stop> {
  const args = `--port 0 --tracker-port 0 --data ${dataDir} --dist ${distDir}`;
  const child = spawn('sh', ['-c', `exec ${command} ${args}`], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<Stop>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  const started = Date.now();
  while (!output.includes('TorrentTX devnet running')) {
    if (child.exitCode !== null || Date.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`the devnet did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

let temp: TempDir;
let dist: string;

beforeAll(async () => {
  temp = await makeTempDir();
  dist = await writeTinyDist(join(temp.path, 'dist'));
});

afterAll(() => temp?.remove());

describe('npm start', () => {
  it(`closes the devnet on one SIGINT to its process group, ${STOPS} times of ${STOPS}`, async () => {
    const command = devnetCommand();
    const dataDir = join(temp.path, 'data');
    for (let i = 0; i < STOPS; i++) {
      const stop = await startAndInterrupt(command, dataDir, dist);
      expect(stop.output, `stop ${i + 1}`).not.toContain('again');
      expect(stop.output.match(/SIGINT: closing the devnet/g), `stop ${i + 1}`).toHaveLength(1);
      expect({ code: stop.code, signal: stop.signal }, `stop ${i + 1}:\n${stop.output}`).toEqual({
        code: 0,
        signal: null,
      });
    }
    // Closing writes the tracker record: the devnet closed, it did not just exit.
    expect(existsSync(join(dataDir, TRACKER_RECORD_FILE))).toBe(true);
  }, 240_000);
});
