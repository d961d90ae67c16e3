// One simulated node: the real core Ledger on the in-memory store, adapted for gossip as a tab's ledger
// worker adapts it (src/ledger/gossipLedgerOf.ts), and the real TxGossip over simulated wires. It notes
// when it first accepted each transaction and when it first recorded each double-spent output.
import { Ledger } from '../../src/core/ledger.ts';
import type { SignatureVerifier } from '../../src/core/ed25519.ts';
import type { EncodedTx } from '../../src/core/makeTx.ts';
import { acceptedTxOf, gossipLedgerOf, isRelayable } from '../../src/ledger/gossipLedgerOf.ts';
import type { GossipLedger } from '../../src/net/gossipLedger.ts';
import { TxGossip } from '../../src/net/txGossip.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import type { TestNetwork } from '../../test/support/testNetwork.ts';
import type { ExtensionClass, LinkEnd, SimWire } from './simWire.ts';

/**
 * How many nodes know each transaction (accepted it) or each double-spent output (recorded it): the
 * simulation checks after every instant whether all do, which must not cost a pass over every node.
 */
export class Tally {
  private readonly counts = new Map<string, number>();

  learned(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

/** What every simulated node shares with the others. */
export interface SimNodeSetting {
  readonly network: TestNetwork;
  /** The verifier whose verdicts all nodes share (sharedVerdicts.ts). */
  readonly verify: SignatureVerifier;
  /** Virtual time. */
  readonly clock: () => number;
  readonly uplinkMbps: number;
  /** Virtual ms the ledger spends on each received transaction (checks and write), one batch at a time. */
  readonly ledgerMsPerTx: number;
  readonly tally: Tally;
}

export class SimNode implements LinkEnd {
  readonly name: string;
  readonly address: string;
  readonly store = new MemoryLedgerStore();
  readonly ledger: Ledger;
  readonly gossip: TxGossip;
  readonly uplink: { readonly bitsPerMs: number; freeAt: number };
  readonly extension: ExtensionClass;
  readonly wires: SimWire[] = [];
  /** When this node first accepted each transaction (virtual ms). */
  readonly acceptedAt = new Map<string, number>();
  /** When this node first recorded a double spend of each output it was told to watch. */
  readonly conflictAt = new Map<string, number>();
  readonly misbehaviour: string[] = [];
  /** Outputs whose double spend the simulation waits for. */
  private readonly watched = new Set<string>();

  private readonly network: TestNetwork;
  private readonly clock: () => number;
  private readonly tally: Tally;

  constructor(
    readonly index: number,
    { network, verify, clock, uplinkMbps, ledgerMsPerTx, tally }: SimNodeSetting,
  ) {
    this.network = network;
    this.clock = clock;
    this.tally = tally;
    this.name = `sim-${index}`;
    this.address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
    this.uplink = { bitsPerMs: uplinkMbps * 1000, freeAt: 0 };
    this.ledger = new Ledger(this.store, network.params, { verify, holdOnlyCoverableFutures: true });
    this.gossip = new TxGossip(
      withLedgerTime(gossipLedgerOf(this.ledger, this.store, clock), ledgerMsPerTx, clock),
      {
        onAccepted: (items) => {
          for (const { id } of items) this.noteAccepted(id);
        },
        // Every batch the ledger decided: a conflict it found is recorded by the relay during it.
        onProgress: () => this.noteConflicts(),
        onMisbehaviour: (peer, problem) => this.misbehaviour.push(`${peer}: ${problem}`),
      },
      clock,
    );
    this.extension = this.gossip.extension();
  }

  /** Holds the genesis, as every node of a network does from the start. */
  async start(): Promise<void> {
    await this.ledger.receive([this.network.genesis.bytes], this.clock());
  }

  /** Receives a payment locally (as the wallet would) and publishes it if accepted. */
  async send(tx: EncodedTx): Promise<void> {
    const { decided } = await this.ledger.receive([tx.bytes], this.clock());
    const accepted = decided.filter(isRelayable).map(acceptedTxOf);
    for (const { id } of accepted) this.noteAccepted(id);
    this.gossip.publish(accepted);
    this.noteConflicts();
  }

  private noteAccepted(id: string): void {
    if (this.acceptedAt.has(id)) return;
    this.acceptedAt.set(id, this.clock());
    this.tally.learned(id);
  }

  watchConflict(output: string): void {
    this.watched.add(output);
    this.noteConflicts();
  }

  private noteConflicts(): void {
    for (const output of this.watched) {
      if (!this.conflictAt.has(output) && this.gossip.conflicts.records.has(output)) {
        this.conflictAt.set(output, this.clock());
        this.tally.learned(output);
      }
    }
  }

  destroy(): void {
    this.gossip.destroy();
  }
}

/**
 * The ledger as slow as a real one: each received batch waits, behind the batches before it, for
 * `msPerTx` per transaction of virtual time before it is decided. Without it (0) the ledger answers in the
 * instant it is asked, as Shadow runs code without charging its CPU time.
 */
function withLedgerTime(ledger: GossipLedger, msPerTx: number, clock: () => number): GossipLedger {
  if (msPerTx <= 0) return ledger;
  let busyUntil = 0;
  return {
    ...ledger,
    async receive(items, ids) {
      busyUntil = Math.max(clock(), busyUntil) + msPerTx * items.length;
      const ready = busyUntil;
      await new Promise((resolve) => setTimeout(resolve, ready - clock()));
      return ledger.receive(items, ids);
    },
  };
}
