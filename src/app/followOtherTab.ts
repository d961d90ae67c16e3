// A tab that waits for another tab of the profile to let go of the ledger (src/ledger/ledgerWriterLock.ts)
// still shows the wallet and pays: its node handle calls the writer tab's workers over the tab channel
// (src/app/tabChannel.ts) instead of running workers of its own. When the writer tab closes, this tab's
// own node starts (startNode) and replaces this handle; a call the closed tab never answered is then
// rejected in words, never left hanging. Calls wait until the writer has said it serves (the tab channel's
// ready handshake), so a follower that started first is answered as soon as the writer is up.
import type { Remote } from 'comlink';
import type { LedgerWorkerApi } from '../../workers/ledger.worker.ts';
import type { NetworkWorkerApi } from '../../workers/network.worker.ts';
import type { NodeHandle } from './nodeHandle.ts';
import { LEDGER_CALLS, NETWORK_CALLS, tabChannelName, type TabMessage } from './tabChannel.ts';

/** A call to the writer tab that it did not answer before this tab took over. */
export class OtherTabClosedError extends Error {
  override readonly name = 'OtherTabClosedError';
}

function closedError(): OtherTabClosedError {
  return new OtherTabClosedError(
    'the other tab of this wallet closed before it answered, and this tab has taken over: check Activity, then try again',
  );
}

/** How often a follower asks whether the writer serves yet, until it hears that it does. */
export const HELLO_EVERY_MS = 500;

/** What the handle of a following tab shares with a node's: everything but its workers. */
export type NodeBasics = Pick<NodeHandle, 'config' | 'serverProblem' | 'serverUnreachable' | 'known'>;

/**
 * A following tab's handle, once the writer tab answered. It stops when `until` settles (this tab's own
 * node has started) or on `stop()`: the calls left open are rejected.
 */
export async function followOtherTab(
  basics: NodeBasics,
  actions: (ledger: Remote<LedgerWorkerApi>) => Pick<NodeHandle, 'requestFaucet' | 'createNetwork'>,
  until: Promise<void>,
): Promise<NodeHandle> {
  const channel = new BroadcastChannel(tabChannelName(basics.config.genesisId));
  const me = crypto.randomUUID();
  let stopped = false;
  let nextId = 1;
  /** This tab's own calls in flight: as many as its page makes at once, a handful. */
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  /** Calls made before the writer said it serves, posted when it does. */
  let unsent: TabMessage[] = [];
  let writerReady = false;
  const hello = setInterval(
    () => channel.postMessage({ type: 'hello' } satisfies TabMessage),
    HELLO_EVERY_MS,
  );
  const listeners: (() => void)[] = [];
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message.type === 'ready') {
      if (writerReady) return;
      writerReady = true;
      clearInterval(hello);
      for (const call of unsent) channel.postMessage(call);
      unsent = [];
      return;
    }
    if (message.type === 'changed') return listeners.forEach((listener) => listener());
    if (message.type !== 'reply' || message.to !== me) return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if ('error' in message) {
      // As comlink does across a worker boundary: the error's name and message, for problemText.
      call?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
    } else {
      call?.resolve(message.value);
    }
  };
  const remote = <T>(target: 'ledger' | 'network', methods: readonly string[]): T =>
    Object.fromEntries(
      methods.map((method) => [
        method,
        (...args: unknown[]) =>
          new Promise((resolve, reject) => {
            if (stopped) return reject(closedError());
            const id = nextId++;
            pending.set(id, { resolve, reject });
            const call = { type: 'call', from: me, id, target, method, args } satisfies TabMessage;
            if (writerReady) channel.postMessage(call);
            else unsent.push(call);
          }),
      ]),
    ) as T;
  const ledger = {
    ...remote<Remote<LedgerWorkerApi>>('ledger', LEDGER_CALLS),
    // The writer tab says when anything changed; there is nothing to subscribe to over there.
    onChange: async (listener: () => void) => void listeners.push(listener),
  } as unknown as Remote<LedgerWorkerApi>;
  const network = remote<Remote<NetworkWorkerApi>>('network', NETWORK_CALLS);
  const stop = () => {
    stopped = true;
    clearInterval(hello);
    unsent = [];
    channel.close();
    listeners.length = 0;
    for (const call of pending.values()) call.reject(closedError());
    pending.clear();
  };
  void until.finally(stop);
  channel.postMessage({ type: 'hello' } satisfies TabMessage);
  const address = (await ledger.snapshot()).address;
  return {
    ...basics,
    ...actions(ledger),
    address,
    ledger,
    network,
    bridge: null,
    onNetworkChange: (listener) => void listeners.push(listener),
    networkIsBack: () => {},
    stop,
  };
}
