// The reconciliation work of the whole node, all peers together: a node-wide budget of work units
// (nominal ns, syncWork.ts) and the queue of peers waiting for it, served in turn.
//
// Why: a peer's own budget (syncBudget.ts) bounds what one connection costs, but a peer that comes back
// with a fresh id is a fresh connection with a fresh burst, so three such peers kept a node holding
// 100,000 txs above a whole core (issue 16 item 2). This share bounds the sum instead. When it is spent,
// reconciliation messages wait (they are not refused: an honest peer waiting its turn is never dropped)
// and are taken in arrival order, one at a time, as the share refills. Each peer has at most one SYNC
// and one SYNC_REPLY waiting (txGossip.ts drops a peer that sends another SYNC before its last was
// answered, or a SYNC_REPLY it was not asked), so the queue holds at most two messages per peer and a
// peer gets about 1/n of the share when n wait. An honest initiator gives up on a reply after
// SYNC_REPLY_TIMEOUT_MS (30 s); at NODE_SYNC_UNITS_PER_SECOND a full hostile 16 KiB message and its
// reply cost ~30 ms of the share (work and wire), so that would take ~1,000 peers waiting at once.

/** The node's reconciliation work: 15% of a core, in work units (nominal ns) per second. */
export const NODE_SYNC_UNITS_PER_SECOND = 150_000_000;
/**
 * What may be spent at once: a newcomer's whole first session against 100,000 txs costs ~8.2e7
 * (syncBudget.ts), so a quiet node answers one at once; more than this waits for the refill.
 */
export const NODE_SYNC_BURST = 250_000_000;

/**
 * What a byte of a reconciliation message costs the node on the wire, beyond the reconciler's own count
 * (syncWork.ts counts parsing only): the data channel's decryption and framing and the wire's buffers,
 * in and out. Measured on loopback (test/net/attacksRogues.test.ts): three rogues getting ~93 answers of
 * 16 KiB frames a second held the node at ~36% of a core where the reconciler counted ~19%: ~60 ns a
 * byte of SYNC and SYNC_REPLY together.
 */
export const WIRE_UNITS_PER_BYTE = 60;

export class NodeSyncShare<Job> {
  #units = NODE_SYNC_BURST;
  #last: number;
  readonly #waiting: Job[] = [];

  constructor(now: number) {
    this.#last = now;
  }

  /** Jobs waiting for the share. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Charges work done; the share may go below zero by one message's cost, then waits to refill. */
  charge(units: number, now: number): void {
    this.#refill(now);
    this.#units -= units;
  }

  /** Queues `job` behind those already waiting. */
  wait(job: Job): void {
    this.#waiting.push(job);
  }

  /** The next job to run now, if the share has units left; the caller charges what it cost. */
  next(now: number): Job | undefined {
    if (this.#waiting.length === 0) return undefined;
    this.#refill(now);
    return this.#units > 0 ? this.#waiting.shift() : undefined;
  }

  /** Drops the jobs `gone` says belong to a peer that left. */
  forget(gone: (job: Job) => boolean): void {
    for (let i = this.#waiting.length - 1; i >= 0; i--)
      if (gone(this.#waiting[i]!)) this.#waiting.splice(i, 1);
  }

  #refill(now: number): void {
    const refill = (Math.max(0, now - this.#last) / 1000) * NODE_SYNC_UNITS_PER_SECOND;
    this.#units = Math.min(NODE_SYNC_BURST, this.#units + refill);
    this.#last = now;
  }
}
