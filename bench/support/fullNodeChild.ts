// Runs the full node in a child process (fullNodeProcess.ts) and asks it for its figures.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { FullNodeStatus } from '../../src/node/openFullNode.ts';
import type { FromChild, FromParent, FullNodeFigures, FullNodeProcessOptions } from './fullNodeProcess.ts';

export interface FullNodeChild {
  /** The node's status when it came online. */
  readonly online: FullNodeStatus;
  figures(): Promise<FullNodeFigures>;
  close(): Promise<void>;
}

export class FullNodeProcessError extends Error {
  override readonly name = 'FullNodeProcessError';
}

/** `cpuProfileDir`: the child writes a V8 CPU profile of its whole life there when it exits (--cpu-prof). */
export async function startFullNodeChild(
  options: FullNodeProcessOptions,
  cpuProfileDir?: string,
): Promise<FullNodeChild> {
  const profile = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [];
  const child = fork(new URL('./fullNodeProcess.ts', import.meta.url), {
    execArgv: ['--expose-gc', '--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  let nextId = 1;
  const waiting = new Map<number, (figures: FullNodeFigures) => void>();
  let onOnline: ((status: FullNodeStatus) => void) | undefined;
  let onFailed: ((err: Error) => void) | undefined;
  child.on('message', (message: FromChild) => {
    if (message.type === 'online') onOnline?.(message.status);
    else if (message.type === 'figures') waiting.get(message.id)?.(message.figures);
    else onFailed?.(new FullNodeProcessError(`the full node process failed: ${message.message}`));
  });
  const send = (message: FromParent): void => void child.send(message);
  const online = await new Promise<FullNodeStatus>((resolve, reject) => {
    onOnline = resolve;
    onFailed = reject;
    void exited.then(([code]) => reject(new FullNodeProcessError(`the full node exited with ${code}`)));
    send({ type: 'open', options });
  });
  return {
    online,
    async figures() {
      const id = nextId++;
      const answer = new Promise<FullNodeFigures>((resolve) => waiting.set(id, resolve));
      send({ type: 'figures', id });
      const figures = await answer;
      waiting.delete(id);
      return figures;
    },
    async close() {
      if (child.exitCode !== null) return;
      send({ type: 'close' });
      await exited;
    },
  };
}
