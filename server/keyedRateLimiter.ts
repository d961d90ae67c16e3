// One token bucket per key (an address, an IP), forgetting full buckets so that memory stays bounded by
// the keys active within one refill period.
import { TokenBucket } from '../src/rateLimit/tokenBucket.ts';

export interface RateLimit {
  /** Requests allowed at once. */
  readonly burst: number;
  /** Requests allowed per minute after the burst. */
  readonly perMinute: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

const PRUNE_ABOVE = 10_000;

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): RateDecision {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune();
      bucket = new TokenBucket(this.limit.burst, this.limit.perMinute / 60, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.take() ? { ok: true } : { ok: false, retryAfterMs: bucket.waitMs() };
  }

  private prune(): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(key);
  }
}
