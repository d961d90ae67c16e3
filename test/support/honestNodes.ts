// The honest side of an attack test in a child process (honestProcess.ts): the tracker and two honest
// nodes, driven by messages. See honestProcess.ts for why they live apart from the victim.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { EncodedTx } from '../../src/core/makeTx.ts';

export type HonestName = 'A' | 'B';

export type ToHonest =
  | { type: 'start'; tokens: number; acceptedSet?: { size: number; seed: number } }
  | { type: 'send'; rid: number; who: HonestName; bytes: Uint8Array }
  | { type: 'acceptedAt'; rid: number; who: HonestName; id: string }
  | { type: 'misbehavingPeers'; rid: number; who: HonestName }
  | { type: 'close'; rid: number };

export type FromHonest =
  | { type: 'started'; trackerUrl: string }
  | { type: 'answer'; rid: number; value?: unknown; error?: string }
  | { type: 'failed'; message: string };

export class HonestProcessError extends Error {
  override readonly name = 'HonestProcessError';
}

/** One honest node in the child process. */
export interface RemoteHonest {
  readonly name: HonestName;
  send(tx: EncodedTx): Promise<void>;
  /** Resolves with Date.now() in the child when it has accepted `id` (at once if it has). */
  acceptedAt(id: string): Promise<number>;
  /** The peer ids it disconnected for misbehaving, in order. */
  misbehavingPeers(): Promise<string[]>;
}

export interface HonestNodes {
  readonly trackerUrl: string;
  readonly A: RemoteHonest;
  readonly B: RemoteHonest;
  close(): Promise<void>;
}

/** Forks the child, starts its tracker and nodes (each with `acceptedSet` preloaded, if given). */
export async function startHonestNodes(
  tokens: number,
  acceptedSet?: { size: number; seed: number },
): Promise<HonestNodes> {
  const child = fork(new URL('./honestProcess.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced', // transaction bytes as Uint8Array
  });
  const exited = once(child, 'exit');
  const waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextRid = 0;
  let started = (_url: string): void => {};
  let failed = (_err: Error): void => {};
  child.on('message', (message: FromHonest) => {
    if (message.type === 'started') return started(message.trackerUrl);
    if (message.type === 'failed') return failed(new HonestProcessError(message.message));
    const call = waiting.get(message.rid);
    waiting.delete(message.rid);
    if (message.error !== undefined) call?.reject(new HonestProcessError(message.error));
    else call?.resolve(message.value);
  });
  void exited.then(([code]) => {
    const err = new HonestProcessError(`the honest nodes' process exited with ${code}`);
    failed(err);
    for (const call of waiting.values()) call.reject(err);
  });
  type Call = Extract<ToHonest, { rid: number }>;
  type WithoutRid<M> = M extends Call ? Omit<M, 'rid'> : never;
  const call = <T>(message: WithoutRid<Call>): Promise<T> =>
    new Promise((resolve, reject) => {
      const rid = ++nextRid;
      waiting.set(rid, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...message, rid } as ToHonest);
    });
  child.send({ type: 'start', tokens, acceptedSet } satisfies ToHonest);
  const trackerUrl = await new Promise<string>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  const remote = (who: HonestName): RemoteHonest => ({
    name: who,
    send: (tx) => call({ type: 'send', who, bytes: tx.bytes }),
    acceptedAt: (id) => call({ type: 'acceptedAt', who, id }),
    misbehavingPeers: () => call({ type: 'misbehavingPeers', who }),
  });
  return {
    trackerUrl,
    A: remote('A'),
    B: remote('B'),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await call({ type: 'close' });
      child.disconnect();
      await exited;
    },
  };
}
