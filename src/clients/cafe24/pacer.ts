import { bucketDrainPerSecond } from './unconfirmed.js';

/**
 * Client side of Cafe24's leaky bucket, one per mall: every call reserves a slot and waits until
 * the (estimated) level is below `targetLevel`, which leaves headroom under the 40-deep bucket for
 * other processes. Each response's `X-Api-Call-Limit` corrects the estimate upwards.
 */
export interface PacerOptions {
  capacity?: number;
  targetLevel?: number;
  drainPerSecond?: number;
}

interface MallLevel {
  level: number;
  at: number;
}

export class Cafe24Pacer {
  readonly capacity: number;
  readonly targetLevel: number;
  readonly drainPerSecond: number;
  private readonly malls = new Map<string, MallLevel>();

  constructor(options: PacerOptions = {}) {
    this.capacity = options.capacity ?? 40;
    this.targetLevel = options.targetLevel ?? 30;
    this.drainPerSecond = options.drainPerSecond ?? bucketDrainPerSecond;
  }

  private current(mallId: string): MallLevel {
    const now = performance.now();
    const entry = this.malls.get(mallId) ?? { level: 0, at: now };
    entry.level = Math.max(0, entry.level - ((now - entry.at) / 1000) * this.drainPerSecond);
    entry.at = now;
    this.malls.set(mallId, entry);
    return entry;
  }

  /** Milliseconds this call must wait; the slot is reserved at once so concurrent callers queue up. */
  reserve(mallId: string): number {
    const entry = this.current(mallId);
    const excess = entry.level + 1 - this.targetLevel;
    entry.level += 1;
    return excess > 0 ? Math.ceil((excess / this.drainPerSecond) * 1000) : 0;
  }

  async acquire(mallId: string): Promise<void> {
    const wait = this.reserve(mallId);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** `X-Api-Call-Limit: used/max` from a response: the server's count is a floor for our estimate. */
  observe(mallId: string, header: string | string[] | undefined): void {
    const match = /^(\d+)\/(\d+)$/.exec((Array.isArray(header) ? header[0] : header) ?? '');
    if (!match) return;
    const entry = this.current(mallId);
    entry.level = Math.max(entry.level, Number(match[1]));
  }

  /** After a 429 the bucket is full: how long until it is back at the target level. */
  delayAfterRateLimit(mallId: string): number {
    const entry = this.current(mallId);
    entry.level = Math.max(entry.level, this.capacity);
    return Math.ceil(((entry.level - this.targetLevel) / this.drainPerSecond) * 1000);
  }
}
