import { describe, expect, it } from 'vitest';
import { Cafe24Pacer } from './pacer.js';

describe('per-mall pacing', () => {
  it('lets calls through at once up to the target level, then spaces them by the drain rate', () => {
    const pacer = new Cafe24Pacer({ capacity: 40, targetLevel: 30, drainPerSecond: 2 });
    const waits = Array.from({ length: 32 }, () => pacer.reserve('demomall'));
    expect(waits.slice(0, 29).every((w) => w === 0)).toBe(true);
    // The 31st and 32nd calls wait about half a second and a second (2 calls/s drain).
    expect(waits[30]).toBeGreaterThan(400);
    expect(waits[31]).toBeGreaterThan(waits[30]!);
  });

  it('keeps malls apart', () => {
    const pacer = new Cafe24Pacer({ targetLevel: 2 });
    pacer.reserve('a');
    pacer.reserve('a');
    expect(pacer.reserve('a')).toBeGreaterThan(0);
    expect(pacer.reserve('b')).toBe(0);
  });

  it('takes the server’s X-Api-Call-Limit as a floor, and treats a 429 as a full bucket', () => {
    const pacer = new Cafe24Pacer({ capacity: 40, targetLevel: 30, drainPerSecond: 2 });
    pacer.observe('m', '35/40');
    expect(pacer.reserve('m')).toBeGreaterThan(2500);
    const other = new Cafe24Pacer({ capacity: 40, targetLevel: 30, drainPerSecond: 2 });
    other.observe('m', 'garbage');
    expect(other.reserve('m')).toBe(0);
    expect(other.delayAfterRateLimit('m')).toBeGreaterThanOrEqual(4900);
  });
});
