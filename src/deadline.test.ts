import { describe, expect, it, vi } from 'vitest';
import { withinDeadline } from './deadline.js';

describe('withinDeadline', () => {
  it('settles as the work does when it is in time', async () => {
    await expect(withinDeadline(Promise.resolve(7), 1_000, 'late')).resolves.toBe(7);
    await expect(withinDeadline(Promise.reject(new Error('refused')), 1_000, 'late')).rejects.toThrow('refused');
  });

  it('rejects with the message once the deadline passes, and a later failure of the work goes unreported', async () => {
    vi.useFakeTimers();
    try {
      let fail: (error: Error) => void = () => {};
      const work = new Promise<never>((_, reject) => (fail = reject));
      const raced = withinDeadline(work, 500, 'no answer within 500 ms');
      const outcome = expect(raced).rejects.toThrow('no answer within 500 ms');
      await vi.advanceTimersByTimeAsync(500);
      await outcome;
      fail(new Error('too late'));
      await vi.advanceTimersByTimeAsync(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
