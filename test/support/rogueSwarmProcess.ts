// The rogues of an attack test, in a process of their own (forked by rogueSwarm.ts), so that what they
// spend signing and sending never counts as the victim's CPU. Each rogue is a plain webtorrent client
// (roguePeer.ts) that runs its flood on its wire to the victim and stays silent on every other wire; when
// the victim drops it, it leaves and comes back at once as a new client, with a fresh peer id, until the
// attack's time is up. It reports each connection to the parent: its peer id, and how long the victim
// took to drop it after its first frame (or that it was not dropped).
import type { GossipWire } from '../../src/net/txGossip.ts';
import { EXTENSION_NAME, WIRE_VERSION } from '../../src/net/txWireProtocol.ts';
import { CONFLICT_HANDSHAKE_KEY, CONFLICT_HANDSHAKE_VERSION } from '../../src/net/evidence/conflictFrame.ts';
import { floodOf, type Flood } from './rogueFloods.ts';
import { joinAsRogue, leave } from './roguePeer.ts';
import type { FromRogues, ToRogues, RogueConnection, RogueSwarmOptions } from './rogueSwarm.ts';
import { makeTestNetwork } from './testNetwork.ts';

/** How long a rogue waits to meet the victim before it joins again with a fresh client. */
const UNMET_RETRY_MS = 5000;
/** The first byte of a SYNC_REPLY frame (txWireProtocol.ts). */
const SYNC_REPLY_FRAME = 0x05;
const post = (message: FromRogues): void => void process.send!(message);

/** One connection of one rogue: resolves when the victim's wire closed or the attack ended. */
function connect(options: RogueSwarmOptions, rogue: number, flood: Flood, endsAt: number): Promise<void> {
  const network = makeTestNetwork(options.tokens);
  return new Promise((resolve) => {
    let startedAt: number | undefined;
    let frames = 0;
    let finished = false;
    /** Waiting for the victim's next SYNC_REPLY (the paced SYNC flood). */
    const replyWaiters: ((answered: boolean) => void)[] = [];
    const replied = (answered: boolean): void => {
      for (const resolve of replyWaiters.splice(0)) resolve(answered);
    };
    class Rogue {
      private closed = false;
      constructor(private readonly wire: GossipWire) {
        wire.extendedHandshake.ttx = WIRE_VERSION;
        wire.extendedHandshake[CONFLICT_HANDSHAKE_KEY] = CONFLICT_HANDSHAKE_VERSION;
        wire.once('close', () => {
          this.closed = true;
          replied(false);
          if (this.isVictim()) finish(performance.now());
        });
      }
      private isVictim(): boolean {
        return this.wire.peerId === options.victimPeerId;
      }
      onExtendedHandshake(): void {
        if (!this.isVictim() || startedAt !== undefined) return; // silent to everyone else
        startedAt = performance.now();
        void flood(
          (frame) => {
            if (this.closed || finished) return false;
            this.wire.extended(EXTENSION_NAME, frame);
            frames++;
            return true;
          },
          (ids) => post({ type: 'payments', ids }),
          () =>
            this.closed || finished
              ? Promise.resolve(false)
              : new Promise<boolean>((resolve) => replyWaiters.push(resolve)),
        );
      }
      // It answers nothing (no SYNC_REPLY, no TX for a WANT); it only notes the victim's SYNC_REPLYs.
      onMessage(payload: Uint8Array): void {
        if (payload[0] === SYNC_REPLY_FRAME && this.isVictim()) replied(true);
      }
    }
    Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
    const client = joinAsRogue(network, options.trackerUrl, Rogue);
    const finish = (closedAt: number | undefined): void => {
      if (finished) return;
      finished = true;
      replied(false);
      clearTimeout(timer);
      const connection: RogueConnection = {
        rogue,
        peerId: client.peerId,
        msToDrop: closedAt !== undefined && startedAt !== undefined ? closedAt - startedAt : null,
        msConnected: startedAt === undefined ? 0 : performance.now() - startedAt,
        frames,
      };
      post({ type: 'connection', connection });
      void leave(client).then(resolve);
    };
    const timer = setTimeout(() => finish(undefined), Math.max(0, endsAt - Date.now()));
    // A WebRTC connection that failed to form on a loaded machine would leave this rogue out of the whole
    // attack (the tracker offers again only minutes later): it leaves and joins afresh instead.
    setTimeout(() => {
      if (startedAt === undefined) finish(undefined);
    }, UNMET_RETRY_MS);
  });
}

async function run(options: RogueSwarmOptions): Promise<void> {
  const flood = floodOf(options.kind, options.params);
  const endsAt = Date.now() + options.durationMs;
  await Promise.all(
    Array.from({ length: options.rogues }, async (_, rogue) => {
      while (Date.now() < endsAt) await connect(options, rogue, flood, endsAt);
    }),
  );
  post({ type: 'done' });
}

// webtorrent 2 throws from a timer when a client is destroyed while one of its WebRTC connections is still
// being set up (lib/peer.js reads `peer.conn` after destroy nulled it). Rogues leave in the middle of
// connecting all the time; that crash is theirs and harmless. Anything else ends the attack.
process.on('uncaughtException', (err) => {
  if (err instanceof TypeError && /webtorrent[\\/]lib[\\/]peer\.js/.test(err.stack ?? '')) return;
  post({ type: 'failed', message: err.stack ?? String(err) });
});

process.on('message', (message: ToRogues) => {
  if (message.type === 'start') {
    run(message.options).catch((err: unknown) => post({ type: 'failed', message: String(err) }));
  } else process.exit(0);
});
post({ type: 'ready' });
// The parent gone (its test timed out or its process ended without closing us): stop attacking.
process.on('disconnect', () => process.exit(0));
