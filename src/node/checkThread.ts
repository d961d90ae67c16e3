// A checker thread of the full node (started by threadedChecker.ts): it answers packed batches of
// transaction bytes (packedItems.ts) with their stateless facts, receivedFactsOf from the core (id, pin,
// checks 1–5, hashing with node:crypto: nodeDigests.ts), verifying with nodeStrictVerifier (node:crypto behind the strict checks, noble deciding
// every "no"): what the node's own thread would compute. It holds no state but the verifier's key caches.
// It takes a batch's items from the front (batchClaims.ts) and answers for those it took: the node's
// thread may take some from the back while it waits.
import { parentPort, workerData } from 'node:worker_threads';
import { receivedFactsOf, type ReceivedFacts } from '../core/checkTx.ts';
import { nodeStrictVerifier } from './nativeEd25519Verifier.ts';
import { nodeDigests } from './nodeDigests.ts';
import { claimFront } from './batchClaims.ts';
import { unpackItems } from './packedItems.ts';

/** What the thread is started with: `ready[0]` is set to 1 once it takes batches. */
export interface CheckThreadData {
  readonly ready: Int32Array;
}

/** What the node's thread sends: a batch to check. */
export interface CheckRequest {
  readonly id: number;
  readonly batch: ArrayBuffer;
  /** Who checks which item (batchClaims.ts): this thread from the front. */
  readonly claims: Int32Array;
}

/** What this thread answers: the facts of the items it claimed (the first ones), in order, or why not. */
export type CheckAnswer =
  { readonly id: number; readonly facts: ReceivedFacts[] } | { readonly id: number; readonly error: string };

const port = parentPort;
if (port) {
  const verify = nodeStrictVerifier();
  port.on('message', async ({ id, batch, claims }: CheckRequest) => {
    let answer: CheckAnswer;
    try {
      const items = unpackItems(batch);
      const facts: ReceivedFacts[] = [];
      for (let at = claimFront(claims); at >= 0; at = claimFront(claims)) {
        facts.push(await receivedFactsOf(items[at]!, verify, nodeDigests));
      }
      answer = { id, facts };
    } catch (err) {
      answer = { id, error: String(err) };
    }
    port.postMessage(answer);
  });
  Atomics.store((workerData as CheckThreadData).ready, 0, 1);
}
