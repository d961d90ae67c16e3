// Runs mineWithPool (src/app/minerPool.ts) on real miner workers in the page. It counts the Workers the
// pool makes and the abort listeners it leaves on the signal, which only the page can see.
import { mineWithPool } from '../../../src/app/minerPool.ts';

export interface MiningRun {
  /** The nonce found, or the thrown error's name. */
  readonly nonce: number | null;
  readonly error: string | null;
  readonly workersMade: number;
  /** Abort listeners added to the signal and not removed when mineWithPool settled. */
  readonly listenersLeft: number;
  readonly progressReports: number;
}

export interface MinerPoolPageApi {
  /** `abort`: 'before' passes an already-aborted signal; 'during' aborts at the first progress report. */
  mine(workBaseHex: string, target: number, abort: 'never' | 'before' | 'during'): Promise<MiningRun>;
}

let workersMade = 0;
const RealWorker = window.Worker;
window.Worker = class extends RealWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    workersMade++;
  }
};

const api: MinerPoolPageApi = {
  async mine(workBaseHex, target, abort) {
    workersMade = 0;
    const controller = new AbortController();
    if (abort === 'before') controller.abort();
    const { signal } = controller;
    const listeners = new Set<unknown>();
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ) => {
      if (type === 'abort') listeners.add(listener);
      add(type, listener, options);
    };
    signal.removeEventListener = (
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | EventListenerOptions,
    ) => {
      if (type === 'abort') listeners.delete(listener);
      remove(type, listener, options);
    };
    let progressReports = 0;
    const onProgress = () => {
      progressReports++;
      if (abort === 'during') controller.abort();
    };
    try {
      const nonce = await mineWithPool(workBaseHex, target, onProgress, signal);
      return { nonce, error: null, workersMade, listenersLeft: listeners.size, progressReports };
    } catch (err) {
      const error = (err as Error).name;
      return { nonce: null, error, workersMade, listenersLeft: listeners.size, progressReports };
    }
  },
};

(window as unknown as { minerPoolTest: MinerPoolPageApi }).minerPoolTest = api;
