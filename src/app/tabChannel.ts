// How the other tabs of a browser profile use the one that writes the ledger (src/ledger/ledgerWriterLock.ts):
// over a BroadcastChannel per network, a waiting tab (src/app/followOtherTab.ts) calls the writer's ledger
// and network workers through the writer's page, which answers and says when something changed. So a
// second tab shows the same wallet and can pay: its payment is prepared and signed by the writer's
// ledger worker, one at a time with the writer's own, and never from tokens another payment spent.
// BroadcastChannel reaches only pages of the same origin and storage, the same trust as the IndexedDB
// the tabs share. Only the calls the page makes are served, by name.
import type { Remote } from 'comlink';
import type { LedgerWorkerApi } from '../../workers/ledger.worker.ts';
import type { NetworkWorkerApi } from '../../workers/network.worker.ts';

export function tabChannelName(genesisId: string): string {
  return `torrenttx-tabs-${genesisId}`;
}

/** The ledger calls another tab may make (all but binding ports and subscribing, which are the page's). */
export const LEDGER_CALLS = [
  'snapshot',
  'noteSettled',
  'submit',
  'preparePayment',
  'signPayment',
  'cancelPayment',
  'listAccounts',
  'walletSetup',
  'keepNewWallet',
  'addAccount',
  'renameAccount',
  'switchAccount',
  'revealRecoveryWords',
  'confirmBackup',
  'restoreFromWords',
  'discoverAccounts',
  'txDetail',
  'ledgerGraph',
  'createNetwork',
  // The wallet lock lives in the writer's ledger worker: a following tab locks and unlocks that one (the
  // passphrase crosses to the writer tab's page: same origin, same profile, as the shared IndexedDB).
  'lockStatus',
  'setPassphrase',
  'changePassphrase',
  'removePassphrase',
  'unlock',
  'lock',
  'setAutoLock',
  'noteUse',
] as const satisfies readonly (keyof LedgerWorkerApi)[];

export const NETWORK_CALLS = [
  'status',
  'holders',
  'heldBy',
] as const satisfies readonly (keyof NetworkWorkerApi)[];

export type TabMessage =
  | {
      readonly type: 'call';
      /** The calling tab, so that only it takes the reply. */
      readonly from: string;
      readonly id: number;
      readonly target: 'ledger' | 'network';
      readonly method: string;
      readonly args: unknown[];
    }
  | { readonly type: 'reply'; readonly to: string; readonly id: number; readonly value: unknown }
  | {
      readonly type: 'reply';
      readonly to: string;
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string };
    }
  /** From the writer: the ledger or the network may have changed; followers refresh. */
  | { readonly type: 'changed' }
  /**
   * The ready handshake. A follower may start before the writer tab serves (two tabs restored at once:
   * one takes the lock and is still opening its ledger), and a call posted then reaches no one. So a
   * follower posts no call until it has heard `ready`: the writer sends it when it starts serving and in
   * answer to every `hello`, which a follower repeats until it hears one.
   */
  | { readonly type: 'hello' }
  | { readonly type: 'ready' };

/** The writer's side: answers other tabs' calls with its workers. Returns a function that stops it. */
export function serveOtherTabs(
  genesisId: string,
  ledger: Remote<LedgerWorkerApi>,
  network: () => Remote<NetworkWorkerApi>,
): { changed(): void; stop(): void } {
  const channel = new BroadcastChannel(tabChannelName(genesisId));
  const allowed = { ledger: new Set<string>(LEDGER_CALLS), network: new Set<string>(NETWORK_CALLS) };
  channel.onmessage = async (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message.type === 'hello') return channel.postMessage({ type: 'ready' } satisfies TabMessage);
    if (message.type !== 'call' || !allowed[message.target]?.has(message.method)) return;
    const target = (message.target === 'ledger' ? ledger : network()) as unknown as Record<
      string,
      (...args: unknown[]) => Promise<unknown>
    >;
    const reply = { type: 'reply', to: message.from, id: message.id } as const;
    try {
      channel.postMessage({ ...reply, value: await target[message.method]!(...message.args) });
    } catch (err) {
      const { name, message: text } = err instanceof Error ? err : { name: 'Error', message: String(err) };
      channel.postMessage({ ...reply, error: { name, message: text } });
    }
  };
  channel.postMessage({ type: 'ready' } satisfies TabMessage);
  return {
    changed: () => channel.postMessage({ type: 'changed' } satisfies TabMessage),
    stop: () => channel.close(),
  };
}
