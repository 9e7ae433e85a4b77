/** Cafe24's request-count limit: a leaky bucket per mall, `capacity` deep, draining `leakPerSecond`. */
export class LeakyBucket {
  private level = 0;
  private updatedAt = performance.now();
  /** Highest level the bucket ever reached (after admitting a call). */
  maxLevel = 0;

  constructor(
    readonly capacity: number,
    readonly leakPerSecond: number,
  ) {}

  private drain(): number {
    const now = performance.now();
    this.level = Math.max(0, this.level - ((now - this.updatedAt) / 1000) * this.leakPerSecond);
    this.updatedAt = now;
    return this.level;
  }

  /** Admits one call if it fits; the returned `used` is what `X-Api-Call-Limit` reports. */
  admit(): { admitted: boolean; used: number } {
    const level = this.drain();
    if (level + 1 > this.capacity) return { admitted: false, used: Math.ceil(level) };
    this.level = level + 1;
    this.maxLevel = Math.max(this.maxLevel, this.level);
    return { admitted: true, used: Math.ceil(this.level) };
  }

  /** What the header would say right now, without admitting anything. */
  used(): number {
    return Math.ceil(this.drain());
  }
}
