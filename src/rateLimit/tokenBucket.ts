// A token bucket: bursts up to `capacity`, then `refillPerSecond`. Bounds what one peer may send in the
// gossip, and on the server what each tracker socket, faucet address and IP may ask.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
  }

  /** Takes `count` tokens (one by default); false, taking none, when the bucket holds fewer. */
  take(count = 1): boolean {
    this.refill();
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  /** Milliseconds until `count` tokens are available (0 if they are). */
  waitMs(count = 1): number {
    this.refill();
    return this.tokens >= count ? 0 : Math.ceil(((count - this.tokens) / this.refillPerSecond) * 1000);
  }

  /** True when the bucket is full again, so forgetting it loses nothing. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }
}
