// Starts a TorrentTX node in the page: the ledger worker (ledger + keys), the network worker (webtorrent,
// gossip), the WebRTC bridge host that gives the network worker its connections, and the ports that let
// the two workers talk to each other directly. The page itself only shows state and forwards intents.
// Which network it starts on is the device's choice among its known networks (src/app/activeNetwork.ts),
// the server's network being the one built into the app when there is one (src/app/bakedNetwork.ts);
// the workers are per node, so switching networks means starting a new node. The ledger is opened only
// as its one writer in the browser profile (src/ledger/ledgerWriterLock.ts); until this tab is, it can
// follow the tab that is (src/app/followOtherTab.ts), and this tab serves the ones that wait for it.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { LedgerWorkerApi } from '../../workers/ledger.worker.ts';
import type { NetworkWorkerApi } from '../../workers/network.worker.ts';
import { activeNetwork } from './activeNetwork.ts';
import { BAKED_NETWORK } from './bakedNetwork.ts';
import { KnownNetworks } from './knownNetworks.ts';
import { FaucetError, requestFaucet } from './requestFaucet.ts';
import type { NetworkConfig } from '../core/network.ts';
import { startNetworkWorker } from './startNetworkWorker.ts';
import { followOtherTab } from './followOtherTab.ts';
import { serveOtherTabs } from './tabChannel.ts';
import type { NodeHandle } from './nodeHandle.ts';

export interface StartOptions {
  /**
   * Called when another tab of this browser profile has this network's ledger open: this one waits, and
   * starts when that tab closes (src/ledger/ledgerWriterLock.ts).
   */
  readonly onWaitingForOtherTab?: () => void;
  /**
   * Then, once that tab answers, called with a handle that uses its workers (src/app/followOtherTab.ts),
   * for the page to show meanwhile. It stops by itself when this tab's own node has started.
   */
  readonly onFollowing?: (follower: NodeHandle) => void;
}

/** What a node does with its ledger and the network's config, in a writer tab and a following one alike. */
export function nodeActions(
  config: NetworkConfig,
  known: KnownNetworks,
  ledger: Remote<LedgerWorkerApi>,
): Pick<NodeHandle, 'requestFaucet' | 'createNetwork'> {
  return {
    async requestFaucet(to: string, tokens?: number) {
      if (!config.faucet) throw new FaucetError('refused', 'This network has no faucet.');
      const tx = await requestFaucet(config.faucet, to, tokens);
      // The page passes the bytes on unread: the ledger worker checks and decides them.
      return ledger.submit(new TextEncoder().encode(tx));
    },
    async createNetwork(name: string, tokens?: number) {
      const created = await ledger.createNetwork({
        name,
        trackers: config.trackers,
        ...(config.iceServers === undefined ? {} : { iceServers: config.iceServers }),
        ...(tokens === undefined ? {} : { tokens }),
      });
      await known.save(created);
      return created;
    },
  };
}

export async function startNode(options: StartOptions = {}): Promise<NodeHandle> {
  // The ledger worker loads its code while the network's config is looked up.
  const ledgerWorker = new Worker(new URL('../../workers/ledger.worker.ts', import.meta.url), {
    type: 'module',
    name: 'ledger',
  });
  let known: KnownNetworks;
  let active: Awaited<ReturnType<typeof activeNetwork>>;
  try {
    known = await KnownNetworks.open();
    const baked = BAKED_NETWORK;
    active = await activeNetwork(known, baked === null ? undefined : () => Promise.resolve(baked));
  } catch (err) {
    ledgerWorker.terminate();
    throw err;
  }
  const { config, serverProblem, serverUnreachable } = active;
  const genesisTx = new TextEncoder().encode(config.genesisTx);
  const ledger = wrap<LedgerWorkerApi>(ledgerWorker);
  const gossip = new MessageChannel();
  const publish = new MessageChannel();
  const networkStart = {
    genesisId: config.genesisId,
    genesisTx,
    trackers: config.trackers,
    iceServers: config.iceServers ?? [],
    // A network with a faucet came from this origin's server (an invite carries none: inviteLink.ts), and
    // that server serves its tracker's record beside it (server/trackerRecordRoute.ts).
    recordUrl: config.faucet ? new URL('/api/tracker/record', location.href).href : undefined,
  };
  // The two workers start side by side: the network worker asks nothing of the ledger to start (its
  // gossip calls wait in the port until the ledger serves it), so a reload waits for the slower of the
  // two, not for both in turn.
  const networkStarting = startNetworkWorker({
    ...networkStart,
    gossipPort: gossip.port2,
    publishPort: publish.port2,
  });
  networkStarting.catch(() => undefined); // awaited below, once the ledger is open
  const stopStarting = () =>
    void networkStarting.then(
      (started) => started.stop(),
      () => undefined,
    );
  // Another tab of this profile holds the ledger: this tab waits for it (ledgerWriterLock.ts) and, with
  // no ledger of its own to serve, stops the network worker it started; it starts one once it writes.
  let waited = false;
  let opened = () => {};
  const ledgerOpened = new Promise<void>((resolve) => (opened = resolve));
  const follow = () => {
    waited = true;
    stopStarting();
    options.onWaitingForOtherTab?.();
    const { onFollowing } = options;
    if (!onFollowing) return;
    const basics = { config, serverProblem, serverUnreachable, known };
    void followOtherTab(basics, (remote) => nodeActions(config, known, remote), ledgerOpened).then(
      onFollowing,
      (err: unknown) => console.warn('could not follow the other tab:', err),
    );
  };
  const address = await ledger
    .open(
      transfer(
        {
          genesisId: config.genesisId,
          genesisTx,
          powUnit: config.powUnit,
          gossipPort: gossip.port1,
          publishPort: publish.port1,
        },
        [gossip.port1, publish.port1],
      ),
      proxy(follow),
    )
    .catch((err: unknown) => {
      // No ledger, no node: the network worker started beside it goes too.
      stopStarting();
      throw err;
    });
  opened();
  /** A network worker on new ports, and how to bind the ledger to it once it runs. */
  function startOnNewPorts() {
    const ports = { gossip: new MessageChannel(), publish: new MessageChannel() };
    return {
      starting: startNetworkWorker({
        ...networkStart,
        gossipPort: ports.gossip.port2,
        publishPort: ports.publish.port2,
      }),
      bindLedger: () =>
        ledger.connectNetwork(
          transfer({ gossipPort: ports.gossip.port1, publishPort: ports.publish.port1 }, [
            ports.gossip.port1,
            ports.publish.port1,
          ]),
        ),
    };
  }
  async function boundToLedger(fresh: ReturnType<typeof startOnNewPorts>) {
    const started = await fresh.starting;
    await fresh.bindLedger();
    return started;
  }
  let net = waited ? await boundToLedger(startOnNewPorts()) : await networkStarting;
  let stopped = false;
  let reconnecting: Promise<void> | undefined;
  const networkListeners: (() => void)[] = [];
  const subscribe = (remote: Remote<NetworkWorkerApi>, listener: () => void) =>
    remote.onChange(proxy(listener));
  // Other tabs of this profile wait for the ledger; meanwhile they use this tab's workers.
  const otherTabs = serveOtherTabs(config.genesisId, ledger, () => net.remote);
  const tellOtherTabs = () => otherTabs.changed();
  void ledger.onChange(proxy(tellOtherTabs));
  networkListeners.push(tellOtherTabs);
  void subscribe(net.remote, tellOtherTabs);

  /**
   * A fresh network worker on new ports. It starts first (starting asks nothing of the ledger; gossip
   * calls wait in the port), and the ledger is bound to it only once it runs, so a failed start leaves
   * the ledger publishing to the old one. The old one runs until then.
   */
  async function reconnect(): Promise<void> {
    const { starting, bindLedger } = startOnNewPorts();
    const fresh = await starting;
    if (stopped) return fresh.stop();
    await Promise.all(networkListeners.map((listener) => subscribe(fresh.remote, listener)));
    await bindLedger();
    const old = net;
    net = fresh;
    old.stop();
  }

  // Back online with no peer: the tracker connection was lost, so start the network part afresh. Once
  // it meets a peer, gossip offers that peer every accepted transaction, payments made offline included.
  const onOnline = () => {
    reconnecting ??= (async () => {
      if ((await net.remote.status()).peers === 0 && !stopped) await reconnect();
    })()
      .catch((err: unknown) => console.warn('could not restart the network worker:', err))
      .finally(() => (reconnecting = undefined));
  };
  addEventListener('online', onOnline);

  return {
    config,
    serverProblem,
    serverUnreachable,
    known,
    address,
    ledger,
    // Getters: the network worker is replaced when the browser comes back online (see onOnline).
    get network() {
      return net.remote;
    },
    get bridge() {
      return net.bridge;
    },
    onNetworkChange(listener: () => void) {
      networkListeners.push(listener);
      void subscribe(net.remote, listener);
    },
    ...nodeActions(config, known, ledger),
    networkIsBack: onOnline,
    stop() {
      stopped = true;
      otherTabs.stop();
      removeEventListener('online', onOnline);
      known.close();
      net.stop();
      ledgerWorker.terminate();
    },
  };
}
