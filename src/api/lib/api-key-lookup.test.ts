import { describe, expect, it } from 'vitest';
import type { ApiKeyRow } from '../../../db/schema.js';
import { cachedApiKeyLookup } from './api-key-lookup.js';

const key = { id: 'k1', role: 'admin', cst_cd: null } as unknown as ApiKeyRow;

/** A key store that counts its reads (null: it has no active key); `hold` makes the next read wait until released. */
function store(found: ApiKeyRow | null = key) {
  let reads = 0;
  let held: (() => void) | null = null;
  let holdNext = false;
  return {
    get reads() {
      return reads;
    },
    hold() {
      holdNext = true;
    },
    release() {
      held?.();
    },
    async load() {
      reads += 1;
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => (held = resolve));
      }
      return found ?? undefined;
    },
  };
}

describe('cachedApiKeyLookup', () => {
  it('serves a key from memory after its first read while changes are heard', async () => {
    const keys = store();
    const lookup = cachedApiKeyLookup(keys.load, { trusted: () => true });
    expect(await lookup.find('h')).toBe(key);
    expect(await lookup.find('h')).toBe(key);
    expect(keys.reads).toBe(1);
  });

  it('reads every time while changes are not heard', async () => {
    const keys = store();
    let trusted = false;
    const lookup = cachedApiKeyLookup(keys.load, { trusted: () => trusted });
    await lookup.find('h');
    trusted = true;
    await lookup.find('h');
    expect(keys.reads).toBe(2);
    trusted = false;
    await lookup.find('h');
    expect(keys.reads).toBe(3);
  });

  it('forgets every key on invalidate', async () => {
    const keys = store();
    const lookup = cachedApiKeyLookup(keys.load, { trusted: () => true });
    await lookup.find('h');
    lookup.invalidate();
    await lookup.find('h');
    expect(keys.reads).toBe(2);
  });

  it('does not keep a read that began before an invalidation: it may predate the change', async () => {
    const keys = store();
    const lookup = cachedApiKeyLookup(keys.load, { trusted: () => true });
    keys.hold();
    const pending = lookup.find('h');
    lookup.invalidate();
    keys.release();
    expect(await pending).toBe(key);
    await lookup.find('h');
    expect(keys.reads).toBe(2);
  });

  it('never keeps an unknown or revoked key', async () => {
    const keys = store(null);
    const lookup = cachedApiKeyLookup(keys.load, { trusted: () => true });
    expect(await lookup.find('h')).toBeUndefined();
    expect(await lookup.find('h')).toBeUndefined();
    expect(keys.reads).toBe(2);
  });

  it('reads a key again once it is maxAgeMs old', async () => {
    const keys = store();
    let now = 0;
    const lookup = cachedApiKeyLookup(keys.load, { trusted: () => true, maxAgeMs: 1_000, now: () => now });
    await lookup.find('h');
    now = 999;
    await lookup.find('h');
    expect(keys.reads).toBe(1);
    now = 1_000;
    await lookup.find('h');
    expect(keys.reads).toBe(2);
  });

  it('starts afresh past maxEntries', async () => {
    const keys = store();
    const lookup = cachedApiKeyLookup(keys.load, { trusted: () => true, maxEntries: 2 });
    for (const hash of ['a', 'b', 'c', 'a']) await lookup.find(hash);
    expect(keys.reads).toBe(4);
  });
});
