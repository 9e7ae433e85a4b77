import { describe, expect, it } from 'vitest';
import { chunk, groupBy } from './grouping.js';

describe('chunk and groupBy', () => {
  it('slices in order, the last slice shorter', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
  it('groups by key in first-seen order', () => {
    expect([...groupBy(['a1', 'b1', 'a2'], (s) => s[0])]).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1']],
    ]);
  });
});
