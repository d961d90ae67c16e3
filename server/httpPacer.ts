// HTTP requests of one source past its rate wait their turn instead of being refused: a full node sends
// a second's announces at once (rollingAnnouncer.ts), over keep-alive connections, and a refusal loses
// the announce until the next cycle (15 min). Each source has one queue, first in first out, drained as
// its token bucket refills; a request waits at most `maxWaitMs`, so the queue holds at most a rate's
// worth of that many seconds (perSecond × maxWaitMs), and at most `maxQueued` requests wait over all
// sources. A request past either bound is refused at once, as before pacing. A request whose connection
// closed while it waited is dropped when its turn comes, its token not spent. Memory: one queue per
// source with waiting requests (deleted when empty), each ≤ its bound, all ≤ maxQueued; one timer each.
import type { ServerResponse } from 'node:http';
import type { KeyedRateLimiter } from './keyedRateLimiter.ts';

interface Waiting {
  readonly pass: () => void;
  gone: boolean;
}

interface Queue {
  readonly limiter: KeyedRateLimiter;
  readonly waiting: Waiting[];
  timer?: ReturnType<typeof setTimeout>;
}

export interface HttpPacerOptions {
  /** Longest a request waits for its turn. */
  readonly maxWaitMs: number;
  /** Requests waiting over all sources. */
  readonly maxQueued: number;
}

export class HttpPacer {
  private readonly queues = new Map<string, Queue>();
  private queued = 0;
  private closed = false;

  constructor(private readonly options: HttpPacerOptions) {}

  /** Requests waiting now, over all sources. */
  get waiting(): number {
    return this.queued;
  }

  /** How many of a source's requests may wait under `limiter`: its rate over maxWaitMs. */
  private boundOf(limiter: KeyedRateLimiter): number {
    return Math.floor((limiter.limit.perMinute / 60) * (this.options.maxWaitMs / 1000));
  }

  /**
   * Runs `pass` now if `source` is within `limiter`'s rate, else once it is (within maxWaitMs, unless
   * `res` closed meanwhile). False, `pass` never run, when the request cannot wait: refuse it.
   */
  admit(source: string, limiter: KeyedRateLimiter, res: ServerResponse, pass: () => void): boolean {
    let queue = this.queues.get(source);
    if (queue === undefined) {
      const decision = limiter.take(source);
      if (decision.ok) {
        pass();
        return true;
      }
      if (this.boundOf(limiter) < 1 || this.queued >= this.options.maxQueued) return false;
      queue = { limiter, waiting: [] };
      this.queues.set(source, queue);
      this.arm(source, queue, decision.retryAfterMs);
    } else if (queue.waiting.length >= this.boundOf(queue.limiter) || this.queued >= this.options.maxQueued) {
      return false;
    }
    const waiting: Waiting = { pass, gone: false };
    res.once('close', () => (waiting.gone = true));
    queue.waiting.push(waiting);
    this.queued++;
    return true;
  }

  /** Drops every waiting request (their connections are being closed) and stops the timers. */
  close(): void {
    this.closed = true;
    for (const queue of this.queues.values()) clearTimeout(queue.timer);
    this.queues.clear();
    this.queued = 0;
  }

  private arm(source: string, queue: Queue, ms: number): void {
    queue.timer = setTimeout(() => this.drain(source, queue), Math.max(1, ms));
  }

  private drain(source: string, queue: Queue): void {
    if (this.closed) return;
    while (queue.waiting.length > 0) {
      const next = queue.waiting[0]!;
      if (!next.gone) {
        const decision = queue.limiter.take(source);
        if (!decision.ok) return this.arm(source, queue, decision.retryAfterMs);
      }
      queue.waiting.shift();
      this.queued--;
      if (!next.gone) next.pass();
    }
    this.queues.delete(source);
  }
}
