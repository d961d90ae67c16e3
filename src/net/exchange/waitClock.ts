// The clock by which this node judges how long a peer has kept it waiting (a request, a reconciliation
// reply): its own clock, less the time this node itself stood still. Bookkeeping only: the clock's
// readings are handed in.
//
// Why: a node whose own thread stalls — a long garbage collection, a device under load, a tab whose
// timers the browser throttled, or many tabs' worth of work in one process (the crowd bench's 100
// newcomers held their thread 2–6 s at a time, and once 14.7 s) — reads its peers' answers late: they
// wait in its socket buffers while it is busy, and after the stall its time-out check may run before
// it reads them. Judged by the plain clock, every request in flight then times out at once and an
// honest peer that answered in milliseconds is dropped for leaving them unanswered (86 of 86 newcomers
// dropped the node so in one stall of the bench, each then refusing it for BAN_MS). Judged by this
// clock, a peer is charged only for time in which this node was awake to hear it.
//
// === Specification ===
//  1. tick(clock) is called every TICK_MS (txGossip.ts); between two ticks this clock advances as the
//     given clock does, but by at most MAX_ADVANCE_MS: a longer gap between ticks is this node's own
//     stall, and its excess is not counted (stalledMs). A clock that goes back advances it by nothing.
//  2. now(clock) reads it between ticks: the last tick's reading, plus the time since that tick, at
//     most MAX_ADVANCE_MS. It never goes back, and the next tick continues from where now() stood.
//  3. So a peer waited on for T ms of this clock kept this node waiting at least T ms while this node
//     ran at least once every MAX_ADVANCE_MS. A peer that really is silent is still found out, only
//     later by the length of this node's own stalls. (A background tab whose timers run once a minute
//     judges its peers at MAX_ADVANCE_MS a minute: slowly, and never wrongly.)

/** The longest gap between two ticks still counted in full: four ticks late, this node was stalled. */
export const MAX_ADVANCE_MS = 1000;

export class WaitClock {
  /** This clock at the last tick, and the given clock then. */
  #at: number;
  #clockAt: number;
  #stalled = 0;

  constructor(clock: number) {
    this.#at = clock;
    this.#clockAt = clock;
  }

  /** Rule 2: this clock now, the given clock reading `clock`. */
  now(clock: number): number {
    return this.#at + Math.min(MAX_ADVANCE_MS, Math.max(0, clock - this.#clockAt));
  }

  /** Rule 1: called every tick; returns this clock now. */
  tick(clock: number): number {
    const gap = Math.max(0, clock - this.#clockAt);
    this.#stalled += Math.max(0, gap - MAX_ADVANCE_MS);
    this.#at = this.now(clock);
    this.#clockAt = clock;
    return this.#at;
  }

  /** Time not counted so far: this node's own stalls beyond MAX_ADVANCE_MS between ticks. */
  get stalledMs(): number {
    return this.#stalled;
  }
}
