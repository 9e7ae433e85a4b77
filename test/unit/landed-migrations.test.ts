import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import landed from '../../db/migrations/landed.json' with { type: 'json' };
import { migrations } from '../../db/migrations/index.js';

/*
 * Migrations are frozen once landed: a database that already ran one never runs it again, so an
 * edit would leave old and new databases different. Every migration file's SHA-256 is pinned:
 * those of the first ones in `db/migrations/landed.json`, every later one in a file of its own,
 * `db/migrations/landed/<migration>.ts.sha256`, so landing a migration adds files and changes none
 * (the author adds its pin and its entry in `db/migrations/index.ts` in the same commit).
 */
const folder = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
const migrationFiles = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
  .sort();
const pinFolder = `${folder}landed/`;
const pins: Record<string, string> = {
  ...landed,
  ...Object.fromEntries(
    readdirSync(pinFolder)
      .filter((name) => name.endsWith('.ts.sha256'))
      .map((name) => [name.replace(/\.sha256$/, ''), readFileSync(`${pinFolder}${name}`, 'utf8').trim()]),
  ),
};
const sha256 = (name: string) => createHash('sha256').update(readFileSync(`${folder}${name}`)).digest('hex');

describe('landed migrations', () => {
  it('are unchanged since they landed', () => {
    for (const [name, hash] of Object.entries(pins)) {
      expect(migrationFiles, `landed migration ${name} is missing; migrations are frozen once landed`).toContain(name);
      expect(sha256(name), `migrations are frozen once landed: add a new migration instead of editing ${name}`).toBe(hash);
    }
  });

  it('are all pinned', () => {
    for (const name of migrationFiles) {
      expect(pins, `pin ${name} (its SHA-256) in db/migrations/landed/${name}.sha256 when it lands`).toHaveProperty([name]);
    }
  });

  it('are all registered in db/migrations/index.ts', () => {
    expect(Object.keys(migrations).sort()).toEqual(migrationFiles.map((name) => name.replace(/\.ts$/, '')));
  });
});
