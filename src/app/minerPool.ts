// Mines a nonce on a pool of workers, one per core, each on its own stride of nonces; reports combined
// progress and stops (terminating the workers) on success or when aborted.
import { proxy, wrap, type Remote } from 'comlink';
import type { MiningState } from '../core/mineNonce.ts';
import type { MinerWorkerApi } from '../../workers/miner.worker.ts';

export interface PoolProgress {
  readonly hashes: number;
  readonly bestWork: number;
  readonly hashesPerSecond: number;
}

export class MiningAbortedError extends Error {
  override readonly name = 'MiningAbortedError';
}

export function poolSize(): number {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
}

export async function mineWithPool(
  workBaseHex: string,
  target: number,
  onProgress: (progress: PoolProgress) => void,
  signal?: AbortSignal,
): Promise<number> {
  // An already-aborted signal never fires `abort` again: refuse before starting any worker.
  if (signal?.aborted) throw new MiningAbortedError('mining was cancelled');
  const size = poolSize();
  const workers = Array.from(
    { length: size },
    () => new Worker(new URL('../../workers/miner.worker.ts', import.meta.url), { type: 'module' }),
  );
  const states: MiningState[] = workers.map((_, i) => ({
    hashes: 0,
    bestWork: -1,
    bestNonce: i,
    found: false,
  }));
  const started = performance.now();
  const report = () => {
    const hashes = states.reduce((sum, s) => sum + s.hashes, 0);
    const seconds = (performance.now() - started) / 1000;
    onProgress({
      hashes,
      bestWork: Math.max(...states.map((s) => s.bestWork)),
      hashesPerSecond: seconds > 0 ? hashes / seconds : 0,
    });
  };
  const stop = () => workers.forEach((worker) => worker.terminate());
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<number>((resolve, reject) => {
      onAbort = () => reject(new MiningAbortedError('mining was cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      workers.forEach((worker, i) => {
        const api: Remote<MinerWorkerApi> = wrap<MinerWorkerApi>(worker);
        const onState = proxy((state: MiningState) => {
          states[i] = state;
          report();
        });
        api.mine(workBaseHex, target, i, size, onState).then((state) => {
          if (state.found) resolve(state.bestNonce);
        }, reject);
      });
    });
  } finally {
    // A signal can outlive many payments (a page-wide controller): leave no listener holding this pool.
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    stop();
  }
}
