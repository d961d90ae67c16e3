// Virtual time for the network simulation: a discrete-event queue that stands in for the process's
// timers while a simulation runs, so a thousand gossip nodes ticking every 250 ms run faster than real
// time and the same seed gives the same run.
//
// install() replaces setTimeout, setInterval, their clear functions, Date.now and performance.now on
// globalThis (the gossip code reads them directly: its tick, its drain's setTimeout(0), the token buckets'
// performance.now); restore() puts the originals back. Microtasks stay real: after the events due at one
// instant have run, the queue waits for one real setImmediate, by which time every promise chain those
// events started (the ledger is in memory, its verifier synchronous) has settled at that same instant.
// Nothing here draws random numbers: ties at one instant run in scheduling order.
import { MinHeap } from '../../src/core/minHeap.ts';

interface Timer {
  at: number;
  readonly seq: number;
  readonly run: () => void;
  /** Set for setInterval: the timer is queued again this much later after each run. */
  readonly every?: number;
  cancelled: boolean;
}

/** What install() hands out for a timer: an object, as Node's timers are, so `clearTimeout` can find it. */
export interface VirtualHandle {
  readonly timer: Timer;
  unref(): VirtualHandle;
  ref(): VirtualHandle;
  hasRef(): boolean;
}

const realSetImmediate = globalThis.setImmediate;

export class VirtualTime {
  private readonly queue = new MinHeap<Timer>((a, b) => a.at - b.at || a.seq - b.seq);
  private seq = 0;
  private restoreGlobals: (() => void) | undefined;
  /** Timers run so far: a measure of the simulation's work. */
  ran = 0;

  constructor(public now: number) {}

  /** Runs `run` at virtual time `at` (not before now). */
  at(at: number, run: () => void): VirtualHandle {
    return this.add({ at: Math.max(at, this.now), seq: this.seq++, run, cancelled: false });
  }

  after(ms: number, run: () => void): VirtualHandle {
    return this.at(this.now + ms, run);
  }

  every(ms: number, run: () => void): VirtualHandle {
    const every = Math.max(1, ms);
    return this.add({ at: this.now + every, seq: this.seq++, run, every, cancelled: false });
  }

  private add(timer: Timer): VirtualHandle {
    this.queue.push(timer);
    const handle: VirtualHandle = {
      timer,
      unref: () => handle,
      ref: () => handle,
      hasRef: () => true,
    };
    return handle;
  }

  /**
   * Runs every event due up to `until`, or until `done()` holds (checked after each instant), and
   * leaves the clock at the last instant run (or at `until` when the queue runs dry or passes it).
   */
  async run(until: number, done: () => boolean = () => false): Promise<void> {
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.at > until) break;
      this.now = next.at;
      // Every event of this instant, then the microtasks they started; those may queue more at this instant.
      while (this.queue.peek()?.at === this.now) {
        const timer = this.queue.pop()!;
        if (timer.cancelled) continue;
        if (timer.every !== undefined) {
          timer.at += timer.every;
          this.queue.push(timer);
        }
        this.ran++;
        timer.run();
      }
      await new Promise((resolve) => realSetImmediate(resolve));
      if (done()) return;
    }
    this.now = Math.max(this.now, until);
  }

  /** Replaces the global timers and clocks with this virtual time until restore(). */
  install(): void {
    if (this.restoreGlobals) return;
    const g = globalThis as Record<string, unknown>;
    const saved = {
      setTimeout: g.setTimeout,
      setInterval: g.setInterval,
      clearTimeout: g.clearTimeout,
      clearInterval: g.clearInterval,
    };
    const realDateNow = Date.now;
    const perf = globalThis.performance;
    const hadOwnNow = Object.prototype.hasOwnProperty.call(perf, 'now');
    const realPerfNow = perf.now;
    const clear = (handle: unknown) => {
      const timer = (handle as VirtualHandle | undefined)?.timer;
      if (timer) timer.cancelled = true;
    };
    g.setTimeout = (run: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) =>
      this.after(Number(ms) || 0, () => run(...args));
    g.setInterval = (run: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) =>
      this.every(Number(ms) || 0, () => run(...args));
    g.clearTimeout = clear;
    g.clearInterval = clear;
    Date.now = () => this.now;
    // performance.now counts from process start; any origin will do for the token buckets that read it.
    perf.now = () => this.now;
    this.restoreGlobals = () => {
      Object.assign(g, saved);
      Date.now = realDateNow;
      if (hadOwnNow) perf.now = realPerfNow;
      else delete (perf as { now?: unknown }).now;
    };
  }

  restore(): void {
    this.restoreGlobals?.();
    this.restoreGlobals = undefined;
  }
}
