import { describe, expect, it } from 'vitest';
import { halve, splitByMonths } from './date-windows.js';

describe('order date windows', () => {
  it('keeps a short window whole', () => {
    expect(splitByMonths({ from: '2026-11-01', to: '2026-11-30' }, 3)).toEqual([{ from: '2026-11-01', to: '2026-11-30' }]);
  });

  it('cuts a long window into consecutive pieces of at most 3 months that cover every day once', () => {
    const windows = splitByMonths({ from: '2026-01-15', to: '2026-12-31' }, 3);
    expect(windows).toEqual([
      { from: '2026-01-15', to: '2026-04-14' },
      { from: '2026-04-15', to: '2026-07-14' },
      { from: '2026-07-15', to: '2026-10-14' },
      { from: '2026-10-15', to: '2026-12-31' },
    ]);
  });

  it('halves a window into two adjacent ones and refuses to halve a single day', () => {
    expect(halve({ from: '2026-11-01', to: '2026-11-10' })).toEqual([
      { from: '2026-11-01', to: '2026-11-05' },
      { from: '2026-11-06', to: '2026-11-10' },
    ]);
    expect(halve({ from: '2026-11-01', to: '2026-11-02' })).toEqual([
      { from: '2026-11-01', to: '2026-11-01' },
      { from: '2026-11-02', to: '2026-11-02' },
    ]);
    expect(halve({ from: '2026-11-01', to: '2026-11-01' })).toBeNull();
  });

  it('rejects a window that ends before it starts', () => {
    expect(() => splitByMonths({ from: '2026-11-02', to: '2026-11-01' }, 3)).toThrow(RangeError);
  });
});
