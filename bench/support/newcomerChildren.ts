// Runs the crowd bench's newcomers in child processes (newcomerProcess.ts), split evenly among them.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestNetwork } from '../../test/support/testNetwork.ts';
import type { NewcomerOptions } from './crowdNewcomers.ts';
import type { FromNewcomers, ToNewcomers } from './newcomerProcess.ts';

type Joined = Extract<FromNewcomers, { type: 'joined' }>;

export interface NewcomersJoined {
  /** In the order of the tracker URLs given. */
  readonly results: Joined['results'];
  /** Each process's peak resident memory, bytes. */
  readonly rssPeaks: readonly number[];
  readonly verdicts: { verified: number; reused: number };
  close(): Promise<void>;
}

export interface NewcomerChildren {
  /** Starts a newcomer on each of `trackerUrls` (split evenly among the processes); once only. */
  join(
    network: TestNetwork,
    trackerUrls: readonly string[],
    total: number,
    options: Omit<NewcomerOptions, 'stall'>,
  ): Promise<NewcomersJoined>;
  kill(): Promise<void>;
}

/** Starts `processes` newcomer processes and resolves once each has loaded its code (not timed). */
export async function startNewcomerChildren(processes: number): Promise<NewcomerChildren> {
  const children: ChildProcess[] = [];
  const exits: Promise<unknown>[] = [];
  const listeners = new Map<ChildProcess, (message: FromNewcomers) => void>();
  const kill = async () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    await Promise.all(exits);
  };
  try {
    await Promise.all(
      Array.from({ length: processes }, () => {
        const child = fork(new URL('./newcomerProcess.ts', import.meta.url), {
          execArgv: ['--max-old-space-size=8192', '--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          // Structured clone: the network's params hold a bigint, its genesis bytes.
          serialization: 'advanced',
        });
        children.push(child);
        exits.push(once(child, 'exit'));
        return new Promise<void>((resolve, reject) => {
          child.on('message', (message: FromNewcomers) => {
            if (message.type === 'ready') resolve();
            else listeners.get(child)?.(message);
          });
          child.once('exit', (code) => {
            const failed = new Error(`a newcomer process exited with ${code}`);
            reject(failed);
            listeners.get(child)?.({ type: 'failed', message: failed.message });
          });
        });
      }),
    );
  } catch (err) {
    await kill();
    throw err;
  }
  return {
    kill,
    async join(network, trackerUrls, total, { onFinished, ...options }) {
      const count = Math.min(children.length, trackerUrls.length);
      const used = children.slice(0, count);
      try {
        const joined = await Promise.all(
          used.map((child, i) => {
            const share = trackerUrls.slice(
              Math.floor((i * trackerUrls.length) / count),
              Math.floor(((i + 1) * trackerUrls.length) / count),
            );
            return new Promise<Joined>((resolve, reject) => {
              listeners.set(child, (message) => {
                if (message.type === 'finished') onFinished?.();
                else if (message.type === 'joined') resolve(message);
                else if (message.type === 'failed')
                  reject(new Error(`a newcomer process failed: ${message.message}`));
              });
              child.send({ type: 'join', network, trackerUrls: share, total, options } satisfies ToNewcomers);
            });
          }),
        );
        return {
          results: joined.flatMap((j) => j.results),
          rssPeaks: joined.map((j) => j.rssPeak),
          verdicts: {
            verified: joined.reduce((sum, j) => sum + j.verdicts.verified, 0),
            reused: joined.reduce((sum, j) => sum + j.verdicts.reused, 0),
          },
          async close() {
            for (const child of children)
              if (child.connected) child.send({ type: 'close' } satisfies ToNewcomers);
            await Promise.all(exits);
          },
        };
      } catch (err) {
        await kill();
        throw err;
      }
    },
  };
}
