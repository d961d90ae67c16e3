// Entry point of a miner worker: mines one stride of nonces for a work base (src/core/mineNonce.ts),
// reporting progress after every chunk. The pool (src/app/minerPool.ts) stops it by terminating it.
import { expose } from 'comlink';
import { hexToBytes } from '../src/core/hex.ts';
import { mineNonce, type MiningState } from '../src/core/mineNonce.ts';

const api = {
  async mine(
    workBaseHex: string,
    target: number,
    start: number,
    stride: number,
    onProgress: (state: MiningState) => void,
  ): Promise<MiningState> {
    let last: MiningState = { hashes: 0, bestWork: -1, bestNonce: start, found: false };
    for (const state of mineNonce(hexToBytes(workBaseHex), target, { start, stride, chunk: 8192 })) {
      last = state;
      onProgress(state);
      // Yield to the event loop between chunks so progress messages go out.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (state.found) break;
    }
    return last;
  },
};

export type MinerWorkerApi = typeof api;
expose(api);
