// Starts the rogues of an attack test in a child process (rogueSwarmProcess.ts) and gathers what they
// report: every connection (peer id, time until the victim dropped it) and the payments they sent.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { FloodKind, FloodParams } from './rogueFloods.ts';

export interface RogueSwarmOptions {
  readonly trackerUrl: string;
  /** The genesis tokens of the test network (makeTestNetwork), which the child rebuilds. */
  readonly tokens: number;
  /** Only the wire to this peer is attacked. */
  readonly victimPeerId: string;
  readonly kind: FloodKind;
  readonly params: FloodParams;
  /** Rogues at once; each comes back with a fresh peer id whenever it is dropped. */
  readonly rogues: number;
  readonly durationMs: number;
}

export interface RogueConnection {
  readonly rogue: number;
  readonly peerId: string;
  /** From its first frame to the victim closing the wire; null if the attack ended first. */
  readonly msToDrop: number | null;
  readonly msConnected: number;
  readonly frames: number;
}

export type ToRogues = { type: 'start'; options: RogueSwarmOptions } | { type: 'exit' };
export type FromRogues =
  | { type: 'ready' }
  | { type: 'connection'; connection: RogueConnection }
  | { type: 'payments'; ids: string[] }
  | { type: 'done' }
  | { type: 'failed'; message: string };

export class RogueSwarmError extends Error {
  override readonly name = 'RogueSwarmError';
}

export interface RogueSwarm {
  /** Every connection reported so far. */
  readonly connections: RogueConnection[];
  /** Ids of the payments the rogues sent inside CONFLICT frames. */
  readonly payments: string[];
  /** Starts the attack; resolves when its time is up and every rogue left. */
  attack(): Promise<void>;
  close(): Promise<void>;
}

/** Forks the rogues' process and waits until it is ready to attack (its modules loaded). */
export async function startRogueSwarm(options: RogueSwarmOptions): Promise<RogueSwarm> {
  const child = fork(new URL('./rogueSwarmProcess.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const connections: RogueConnection[] = [];
  const payments: string[] = [];
  let onDone = (): void => {};
  let onFailed = (_err: Error): void => {};
  let ready = (): void => {};
  child.on('message', (message: FromRogues) => {
    if (message.type === 'ready') ready();
    else if (message.type === 'connection') connections.push(message.connection);
    else if (message.type === 'payments') payments.push(...message.ids);
    else if (message.type === 'done') onDone();
    else onFailed(new RogueSwarmError(`the rogues failed: ${message.message}`));
  });
  let onExit = (_err: Error): void => {};
  void exited.then(([code]) => onExit(new RogueSwarmError(`the rogues' process exited with ${code}`)));
  await new Promise<void>((resolve, reject) => {
    ready = resolve;
    onExit = reject;
  });
  return {
    connections,
    payments,
    attack() {
      return new Promise((resolve, reject) => {
        onDone = resolve;
        onFailed = reject;
        onExit = reject;
        child.send({ type: 'start', options } satisfies ToRogues);
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'exit' } satisfies ToRogues);
      await exited;
    },
  };
}
