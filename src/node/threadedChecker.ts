// The full node's batch checker (Ledger's checkBatch) on more than one core: the stateless facts of a
// batch (receivedFactsOf: id, pin, checks 1–5 with the signature) are found on checker threads
// (checkThread.ts), one packed message per thread, while the node's own thread decides and writes the
// batch before (Ledger.receive asks for a batch's facts at once, before its turn). A thread runs the
// same core code with the same verifier as this thread, which keeps the small batches (a gossiped
// payment: a thread's round trip would only add to its delay), so the facts are the same wherever they
// are found. A thread that fails or exits is not used again, and what it had not answered is checked
// here: the node never depends on its threads being there.
// While the node's thread waits for a batch's facts (the event loop idle: it has decided and written
// everything before), it checks that batch's last items itself, a few at a time (batchClaims.ts), so
// on a machine of 2 cores neither core idles while the other finishes a batch.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { receivedFactsOf, type BatchChecker, type ReceivedFacts } from '../core/checkTx.ts';
import { nodeStrictVerifier } from './nativeEd25519Verifier.ts';
import { nodeDigests } from './nodeDigests.ts';
import { claimBack, MAX_CLAIMABLE, newClaims } from './batchClaims.ts';
import { packItems } from './packedItems.ts';
import type { CheckAnswer, CheckRequest, CheckThreadData } from './checkThread.ts';

/** Batches below this many items are checked on the calling thread. */
export const THREAD_BATCH_MIN = 32;

/** One thread per core but the node's own, at least one, at most this many. */
export const MAX_CHECK_THREADS = 4;

/** Items the calling thread checks at a time while it waits, before it looks at its events again. */
export const HELP_SLICE = 4;

export interface ThreadedCheckerOptions {
  /** Checker threads to start (default: cores − 1, from 1 to MAX_CHECK_THREADS). 0: none. */
  readonly threads?: number;
  /** Batches below this many items are checked on the calling thread (default THREAD_BATCH_MIN). */
  readonly threadBatchMin?: number;
}

export interface ThreadedChecker {
  readonly checkBatch: BatchChecker;
  /** Items whose facts the threads found so far (the rest were found on the calling thread). */
  readonly threadedCount: number;
  /** Items of batches sent to threads that the calling thread checked while it waited. */
  readonly helpedCount: number;
  /** Stops the threads; batches asked later are checked on the calling thread. */
  close(): Promise<void>;
}

interface Sent {
  readonly items: readonly Uint8Array[];
  readonly resolve: (facts: ReceivedFacts[] | Promise<ReceivedFacts[]>) => void;
  readonly claims: Int32Array;
  /** Facts of the items the calling thread claimed (from the back), by index. */
  readonly helped: Map<number, Promise<ReceivedFacts>>;
}

interface CheckThread {
  readonly worker: Worker;
  /**
   * Set to 1 by the thread once loaded. Shared memory, not a message: an import that never yields to
   * the event loop (SQLite is synchronous) would never see a message arrive.
   */
  readonly ready: Int32Array;
  /** Batches sent and not answered, by request id. */
  readonly sent: Map<number, Sent>;
}

/** A checker thread's entry point: it loads checkThread.ts through tsx (see that file). */
const THREAD_ENTRY = new URL('./checkThreadBoot.mjs', import.meta.url);

function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_CHECK_THREADS, availableParallelism() - 1));
}

export function threadedChecker(options: ThreadedCheckerOptions = {}): ThreadedChecker {
  const verify = nodeStrictVerifier();
  const threadCount = options.threads ?? defaultThreads();
  const threadBatchMin = options.threadBatchMin ?? THREAD_BATCH_MIN;
  const threads: CheckThread[] = [];
  let started = false;
  let closed = false;
  let nextId = 0;
  let threadedCount = 0;
  let helpedCount = 0;
  /** Batches out on threads, oldest first: the calling thread helps the oldest with items unclaimed. */
  const out: Sent[] = [];
  let helping = false;

  const checkHere = (items: readonly Uint8Array[]): Promise<ReceivedFacts[]> =>
    Promise.all(items.map((bytes) => receivedFactsOf(bytes, verify, nodeDigests)));

  /** A thread that failed: never used again; what it held is checked here. */
  const retire = (thread: CheckThread): void => {
    const at = threads.indexOf(thread);
    if (at < 0) return;
    threads.splice(at, 1);
    for (const sent of thread.sent.values()) settle(sent, checkHere(sent.items));
    thread.sent.clear();
    void thread.worker.terminate();
  };

  const settle = (sent: Sent, facts: ReceivedFacts[] | Promise<ReceivedFacts[]>): void => {
    const at = out.indexOf(sent);
    if (at >= 0) out.splice(at, 1);
    sent.resolve(facts);
  };

  /** The thread's facts (the first items) and the calling thread's (the rest), or null if they do not fit. */
  const joined = async (sent: Sent, fromThread: ReceivedFacts[]): Promise<ReceivedFacts[] | null> => {
    const rest: Promise<ReceivedFacts>[] = [];
    for (let i = fromThread.length; i < sent.items.length; i++) {
      const facts = sent.helped.get(i);
      if (facts === undefined) return null;
      rest.push(facts);
    }
    if (rest.length !== sent.helped.size) return null;
    return [...fromThread, ...(await Promise.all(rest))];
  };

  /** Checks a few unclaimed items of the oldest batch out, then again once the event loop comes back. */
  const help = (): void => {
    helping = false;
    let done = 0;
    for (const sent of out) {
      while (done < HELP_SLICE) {
        const at = claimBack(sent.claims);
        if (at < 0) break;
        sent.helped.set(
          at,
          checkHere([sent.items[at]!]).then(([facts]) => facts!),
        );
        helpedCount++;
        done++;
      }
      if (done === HELP_SLICE) break;
    }
    if (done > 0) helpSoon();
  };
  /** setImmediate runs once the event loop is idle: after this thread decided and wrote what it could. */
  const helpSoon = (): void => {
    if (helping || out.length === 0) return;
    helping = true;
    setImmediate(help);
  };

  const start = (): void => {
    started = true;
    for (let i = 0; i < threadCount; i++) {
      const ready = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(THREAD_ENTRY, { workerData: { ready } satisfies CheckThreadData });
      // An idle thread does not keep the process alive; one with batches out does (send, below).
      worker.unref();
      const thread: CheckThread = { worker, ready, sent: new Map() };
      threads.push(thread);
      worker.on('message', (answer: CheckAnswer) => {
        const sent = thread.sent.get(answer.id);
        if (sent === undefined) return;
        thread.sent.delete(answer.id);
        if (thread.sent.size === 0) worker.unref();
        if ('error' in answer) {
          settle(sent, checkHere(sent.items));
          return;
        }
        threadedCount += answer.facts.length;
        settle(
          sent,
          joined(sent, answer.facts).then((facts) => facts ?? checkHere(sent.items)),
        );
      });
      worker.on('error', () => retire(thread));
      worker.on('exit', () => retire(thread));
    }
  };

  const send = async (thread: CheckThread, items: readonly Uint8Array[]): Promise<ReceivedFacts[]> => {
    if (items.length > MAX_CLAIMABLE) {
      const parts: Promise<ReceivedFacts[]>[] = [];
      for (let i = 0; i < items.length; i += MAX_CLAIMABLE) {
        parts.push(send(thread, items.slice(i, i + MAX_CLAIMABLE)));
      }
      return (await Promise.all(parts)).flat();
    }
    return new Promise((resolve) => {
      const request: CheckRequest = {
        id: nextId++,
        batch: packItems(items),
        claims: newClaims(items.length),
      };
      const sent: Sent = { items, resolve, claims: request.claims, helped: new Map() };
      thread.sent.set(request.id, sent);
      out.push(sent);
      thread.worker.ref();
      thread.worker.postMessage(request, [request.batch]);
      helpSoon();
    });
  };

  return {
    async checkBatch(items) {
      if (items.length < threadBatchMin) return checkHere(items);
      if (!started && !closed && threadCount > 0) start();
      const ready = threads.filter((thread) => Atomics.load(thread.ready, 0) === 1);
      // Until a thread has loaded, batches are checked here rather than wait for it.
      if (ready.length === 0) return checkHere(items);
      const share = Math.ceil(items.length / ready.length);
      const parts = ready.map((thread, i) => send(thread, items.slice(i * share, (i + 1) * share)));
      return (await Promise.all(parts)).flat();
    },
    get threadedCount() {
      return threadedCount;
    },
    get helpedCount() {
      return helpedCount;
    },
    async close() {
      closed = true;
      await Promise.all([...threads].map((thread) => thread.worker.terminate()));
    },
  };
}
