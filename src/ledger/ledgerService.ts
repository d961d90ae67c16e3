// The ledger worker's service: the only owner of the ledger and the keys. It decides what arrives from
// peers (through the gossip port), makes and signs the wallet's payments, and tells the page what to
// show. It runs unchanged in a worker (IndexedDB stores) and in Node tests (memory stores).
import { addressOfKeyHex, checkAddress } from '../core/address.ts';
import { bytesToHex, hexToBytes } from '../core/hex.ts';
import type { Ledger } from '../core/ledger.ts';
import { encodeWithId, signTx } from '../core/makeTx.ts';
import type { NetworkParams } from '../core/network.ts';
import { memoProblem, tokensProblem } from '../core/fieldProblems.ts';
import type { UnsignedTx } from '../core/tx.ts';
import type { TxRecord } from '../core/txRecord.ts';
import { isHeld } from '../core/verdict.ts';
import { branchBase, mintAndFee, workBase, workOf } from '../core/work.ts';
import type { AcceptedTx, GossipLedger, GossipReceipt } from '../net/gossipLedger.ts';
import type { SettledTimes } from '../storage/settledTimes.ts';
import type { StoredAccount, WalletKeyStore } from '../storage/walletKeyStore.ts';
import { oneAtATime } from './ledgerWriterLock.ts';
import { planPayment, stillCovers } from './planPayment.ts';
import { createWallet } from './createWallet.ts';
import { acceptedTxOf, gossipLedgerOf, isRelayable } from './gossipLedgerOf.ts';
import type { QueryableLedgerStore } from './queryableStore.ts';
import type { HistoryEntry, WalletSnapshot } from './walletSnapshot.ts';
import { PaymentWatch, type PaymentSafetyFacts } from './paymentWatch.ts';

/** History entries a snapshot carries, newest first. */
export const HISTORY_LIMIT = 200;

export class PaymentError extends Error {
  override readonly name = 'PaymentError';
}

/** Where accepted transactions go to be gossiped and seeded: the network worker, over a port. */
export interface Publisher {
  publish(items: AcceptedTx[]): Promise<void> | void;
}

export interface PaymentRequest {
  readonly to: string;
  readonly tokens: number;
  readonly memo?: string;
}

/** One transaction of a payment: what it spends from, and what mining it would change. */
export interface PaymentPart {
  readonly sourceId: string;
  readonly tokens: number;
  /** Work base (hex) to mine a nonce over, and the branch base in bits: reach it to pay no fee. */
  readonly workBaseHex: string;
  readonly baseBits: number;
  /** Fee if signed without mining (decimal string); each bit above the base mints powUnit instead. */
  readonly feeWithoutWork: string;
  /** The work (leading zero bits) the unmined part already has by chance: why its fee is what it is. */
  readonly workWithoutMining: number;
}

/** A payment ready to be mined and signed: one part per source. The secret key stays here. */
export interface PaymentDraft {
  readonly draftId: number;
  readonly tokens: number;
  readonly to: string;
  readonly memo: string | null;
  readonly powUnit: string;
  readonly parts: PaymentPart[];
  /** What each choice costs, as the worker computes it (PROTOCOL §6), so the page recomputes nothing. */
  readonly costs: {
    /** Signed now, unmined: the parts' fees, burnt (decimal string). */
    readonly feeWithoutWork: string;
    /** Mined to each part's base and `n` bits more: n × this is minted for the recipient (decimal). */
    readonly mintPerExtraBit: string;
  };
}

export interface SignedPart {
  readonly id: string;
  readonly status: string;
  readonly reason?: string;
}

export interface LedgerServiceParts {
  readonly ledger: Ledger;
  readonly store: QueryableLedgerStore;
  readonly keys: WalletKeyStore;
  readonly network: NetworkParams;
  readonly clock: () => number;
  readonly randomBytes: (length: number) => Uint8Array;
  /** The key to sign with; throws while a passphrase locks it (src/ledger/walletLock.ts). Default: the row's. */
  readonly requireUnlockedKey?: (account: StoredAccount) => Uint8Array;
  /** Where the times payments settled are kept across reloads (the IndexedDB ledger); memory if absent. */
  readonly settled?: SettledTimes;
}

export class LedgerService {
  private account: StoredAccount | undefined;
  private publisher: Publisher | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly drafts = new Map<number, UnsignedTx[]>();
  private nextDraft = 1;
  private readonly gossipLedger: GossipLedger;
  /** Payments are checked against their sources and signed one at a time (src/ledger/ledgerWriterLock.ts). */
  private readonly signing = oneAtATime();
  /** When the wallet's payments and double spends near them were first seen (paymentWatch.ts). */
  private readonly watch: PaymentWatch;

  constructor(private readonly parts: LedgerServiceParts) {
    // Creator and recipient seed a transaction's torrent: the wallet marks which are its own.
    const ours = (record: TxRecord): boolean => {
      const me = this.account;
      return me !== undefined && (record.to === me.address || record.tx?.key === me.publicKey);
    };
    const inner = gossipLedgerOf(parts.ledger, parts.store, parts.clock, ours);
    this.watch = new PaymentWatch(parts.clock(), parts.settled);
    // Everything peers send goes through here, so the page hears of every change.
    this.gossipLedger = {
      ...inner,
      receive: async (items: Uint8Array[], ids?: string[]): Promise<GossipReceipt> => {
        const receipt = await inner.receive(items, ids);
        const now = this.parts.clock();
        for (const item of receipt.accepted) if (item.seed) this.watch.seen(item.id, now);
        for (const conflict of receipt.conflicts ?? []) this.watch.conflicted(conflict.output, now);
        this.changed();
        return receipt;
      },
    };
  }

  /**
   * Receives the network's genesis and loads the wallet's active account (the one persisted as active,
   * else the first), or creates a wallet with recovery words and account 0 (src/ledger/createWallet.ts).
   */
  async open(genesisTx: Uint8Array): Promise<string> {
    await this.parts.ledger.receive([genesisTx], this.parts.clock());
    const stored = await this.parts.keys.accounts();
    const activeId = (await this.parts.keys.wallet())?.activeId;
    this.account =
      stored.find((account) => account.id === activeId) ??
      stored[0] ??
      (await createWallet(this.parts.keys, this.parts.randomBytes, this.parts.clock()));
    return this.account.address;
  }

  gossip(): GossipLedger {
    return this.gossipLedger;
  }

  setPublisher(publisher: Publisher): void {
    this.publisher = publisher;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** The active account (its secret key never leaves this worker). */
  currentAccount(): StoredAccount {
    return this.me;
  }

  /** Makes another stored account the active one; the page shows its snapshot from then on. */
  useAccount(account: StoredAccount): void {
    // A prepared payment names the previous account's key: signing it with this one would make an
    // invalid transaction, so prepared payments of another account are forgotten.
    if (account.publicKey !== this.account?.publicKey) this.drafts.clear();
    this.account = account;
    this.changed();
  }

  /** Tells the page to refresh (for services built on this one). */
  notifyChange(): void {
    this.changed();
  }

  private get me(): StoredAccount {
    if (!this.account) throw new PaymentError('the wallet is not open yet');
    return this.account;
  }

  /** Takes a transaction handed in from outside the swarm (a faucet payment), then publishes it. */
  async submit(bytes: Uint8Array): Promise<TxRecord> {
    const now = this.parts.clock();
    const { outcomes, decided } = await this.parts.ledger.receive([bytes], now);
    for (const record of decided) {
      this.watch.seen(record.id, now);
      if (record.status === 'conflict' && record.prev !== null) this.watch.conflicted(record.prev, now);
    }
    await this.publishAccepted(decided);
    this.changed();
    const outcome = outcomes[0]!;
    if (outcome.kind === 'dropped') throw new PaymentError(`not kept: ${outcome.reason}`);
    return outcome.record;
  }

  private async publishAccepted(decided: readonly TxRecord[]): Promise<void> {
    const items = decided.filter(isRelayable).map(acceptedTxOf);
    if (items.length > 0) await this.publisher?.publish(items);
  }

  /** Checks a payment and picks what pays for it; the page then mines (or not) and asks to sign. */
  async preparePayment(request: PaymentRequest): Promise<PaymentDraft> {
    const me = this.me;
    const address = checkAddress(request.to);
    if (!address.ok) throw new PaymentError(`the recipient is not a valid address: ${address.problem}`);
    const tokensWrong = tokensProblem(request.tokens);
    if (tokensWrong !== undefined) throw new PaymentError(`the amount ${tokensWrong}`);
    const memo = request.memo === undefined || request.memo === '' ? undefined : request.memo;
    const memoWrong = memo === undefined ? undefined : memoProblem(memo);
    if (memoWrong !== undefined) throw new PaymentError(`the memo ${memoWrong}`);
    const { powUnit } = this.parts.network;
    const plan = planPayment(await this.parts.store.sentTo(me.address), BigInt(request.tokens), powUnit);
    if (!plan.ok) throw new PaymentError(plan.problem);
    const unsignedParts = plan.parts.map(({ source, tokens }): UnsignedTx => ({
      tokens: Number(tokens),
      to: request.to,
      key: me.publicKey,
      time: Math.max(this.parts.clock(), source.tx!.time),
      prev: source.id,
      ...(memo === undefined ? {} : { memo }),
    }));
    const draftId = this.nextDraft++;
    this.drafts.set(draftId, unsignedParts);
    const parts = unsignedParts.map((unsigned, i): PaymentPart => {
      const baseBits = branchBase(plan.parts[i]!.source.recentWork ?? []);
      const work = workOf(unsigned);
      return {
        sourceId: unsigned.prev!,
        tokens: unsigned.tokens,
        workBaseHex: bytesToHex(workBase(unsigned)),
        baseBits,
        feeWithoutWork: mintAndFee(work, baseBits, powUnit).fee.toString(),
        workWithoutMining: work,
      };
    });
    return {
      draftId,
      tokens: request.tokens,
      to: request.to,
      memo: memo ?? null,
      powUnit: powUnit.toString(),
      parts,
      costs: {
        feeWithoutWork: parts.reduce((sum, part) => sum + BigInt(part.feeWithoutWork), 0n).toString(),
        // Each part mined `n` bits past its base mints n × powUnit (PROTOCOL §6: mint = delta × powUnit).
        mintPerExtraBit: (BigInt(parts.length) * powUnit).toString(),
      },
    };
  }

  /**
   * Decides held `future` transactions whose time has come (PROTOCOL §5.11) and publishes those that
   * became accepted. The worker calls it on a timer: a quiet node receives nothing that would do it.
   */
  async tick(): Promise<void> {
    const decided = await this.parts.ledger.advanceClock(this.parts.clock());
    if (decided.length === 0) return;
    await this.publishAccepted(decided);
    this.changed();
  }

  /** Forgets a prepared payment the user cancelled. */
  cancelPayment(draftId: number): void {
    this.drafts.delete(draftId);
  }

  /**
   * Signs every part of a prepared payment with its mined nonce (or none), records them and publishes
   * them. `nonces[i]` belongs to part i. One payment at a time: a draft whose sources were spent since it
   * was prepared (by another payment) is refused before anything is signed.
   */
  signPayment(draftId: number, nonces: readonly (number | null)[]): Promise<SignedPart[]> {
    return this.signing(() => this.signNow(draftId, nonces));
  }

  private async signNow(draftId: number, nonces: readonly (number | null)[]): Promise<SignedPart[]> {
    const unsignedParts = this.drafts.get(draftId);
    if (!unsignedParts) throw new PaymentError('this payment was already sent or cancelled');
    if (nonces.length !== unsignedParts.length) {
      throw new PaymentError(`the payment has ${unsignedParts.length} parts, got ${nonces.length} nonces`);
    }
    // Before the draft is forgotten: a locked wallet keeps it, to be signed once unlocked.
    const secret = this.parts.requireUnlockedKey?.(this.me) ?? hexToBytes(this.me.secretKey);
    await this.checkSourcesCover(draftId, unsignedParts);
    this.drafts.delete(draftId);
    const results: SignedPart[] = [];
    for (const [i, unsigned] of unsignedParts.entries()) {
      const nonce = nonces[i]!;
      const signed = encodeWithId(signTx(nonce === null ? unsigned : { ...unsigned, nonce }, secret));
      const record = await this.submit(signed.bytes);
      results.push({
        id: signed.id,
        status: record.status,
        ...(record.reason ? { reason: record.reason } : {}),
      });
    }
    return results;
  }

  private async checkSourcesCover(draftId: number, unsignedParts: readonly UnsignedTx[]): Promise<void> {
    const sources = await Promise.all(unsignedParts.map((part) => this.parts.store.getTx(part.prev!)));
    const { powUnit } = this.parts.network;
    if (unsignedParts.every((part, i) => stillCovers(sources[i], part.tokens, powUnit))) return;
    this.drafts.delete(draftId);
    throw new PaymentError(
      'another payment spent these tokens since this one was reviewed (in this tab or another); nothing was signed — review the payment again',
    );
  }

  /**
   * The page found these payments settled (src/core/paymentState.ts: it counts their holders); they stay
   * settled from now on, across reloads. At most HISTORY_LIMIT ids a call (the history the page shows).
   */
  async noteSettled(ids: readonly string[]): Promise<void> {
    if (ids.length > HISTORY_LIMIT) throw new PaymentError(`at most ${HISTORY_LIMIT} ids, got ${ids.length}`);
    const bad = ids.find((id) => !/^[0-9a-f]{40}$/.test(id));
    if (bad !== undefined)
      throw new PaymentError(`a transaction id is 40 hex digits, got "${bad.slice(0, 50)}"`);
    await this.watch.settled(ids, this.parts.clock());
    this.changed();
  }

  async snapshot(): Promise<WalletSnapshot> {
    const me = this.me;
    const { store } = this.parts;
    const received = await store.sentTo(me.address);
    const sent = await store.sentBy(me.publicKey);
    const byId = new Map<string, TxRecord>();
    for (const record of [...received, ...sent]) byId.set(record.id, record);
    const newest = [...byId.values()].sort((a, b) => b.arrival - a.arrival);
    const shown = newest.slice(0, HISTORY_LIMIT);
    const now = this.parts.clock();
    for (const record of shown) this.watch.seen(record.id, now); // what arrived some other way: seen now
    const read = (ids: string[]) =>
      store.getTxs ? store.getTxs(ids) : Promise.all(ids.map((id) => store.getTx(id)));
    const safety = await this.watch.safetyOf(shown, read);
    const history: HistoryEntry[] = shown.map((record) => historyEntry(record, me, safety.get(record.id)!));
    const sum = (records: TxRecord[]) => records.reduce((total, r) => total + BigInt(r.tx?.tokens ?? 0), 0n);
    const counts = await store.statusCounts();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return {
      address: me.address,
      spendable: (await store.getBalance(me.address)).toString(),
      held: sum(received.filter((r) => isHeld(r.status))).toString(),
      inConflict: sum(received.filter((r) => r.status === 'conflict')).toString(),
      // The newest entries only: the page refreshes this on every change, so its size stays bounded.
      history,
      historyTotal: newest.length,
      ledger: {
        known: total,
        accepted: counts.accepted ?? 0,
        held: (counts.orphan ?? 0) + (counts.future ?? 0),
        rejected: (counts.invalid ?? 0) + (counts.conflict ?? 0),
      },
    };
  }
}

function historyEntry(record: TxRecord, me: StoredAccount, safety: PaymentSafetyFacts): HistoryEntry {
  const tx = record.tx!;
  const incoming = record.to === me.address;
  const outgoing = tx.key === me.publicKey;
  return {
    id: record.id,
    direction: incoming && outgoing ? 'self' : incoming ? 'in' : 'out',
    tokens: tx.tokens,
    counterparty: incoming && !outgoing ? addressOfKeyHex(tx.key) : tx.to,
    memo: tx.memo ?? null,
    time: tx.time,
    status: record.status,
    reason: record.reason ?? null,
    mint: record.mint?.toString() ?? null,
    fee: record.fee?.toString() ?? null,
    arrival: record.arrival,
    firstSeenAt: safety.firstSeenAt,
    conflictSeenAt: safety.conflictSeenAt,
    settledAt: safety.settledAt,
  };
}
