import { describe, expect, it } from 'vitest';
import { etagOf, ifMatchAccepts } from './etag.js';

describe('If-Match', () => {
  it('accepts any version when absent, and * for any existing one', () => {
    expect(ifMatchAccepts(undefined, 7)).toBe(true);
    expect(ifMatchAccepts('*', 7)).toBe(true);
  });

  it('needs the current strong tag among the listed ones', () => {
    expect(ifMatchAccepts(etagOf(7), 7)).toBe(true);
    expect(ifMatchAccepts('"6", "7"', 7)).toBe(true);
    expect(ifMatchAccepts('"6"', 7)).toBe(false);
    expect(ifMatchAccepts('W/"7"', 7)).toBe(false);
    expect(ifMatchAccepts('7', 7)).toBe(false);
    expect(ifMatchAccepts('', 7)).toBe(false);
  });
});
