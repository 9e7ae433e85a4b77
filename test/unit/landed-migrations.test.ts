import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import landed from '../../db/migrations/landed.json' with { type: 'json' };
import { migrations } from '../../db/migrations/index.js';

/*
 * Migrations are frozen once landed: a database that already ran one never runs it again, so an
 * edit would leave old and new databases different. `db/migrations/landed.json` pins the SHA-256
 * of every migration file; the author of a new migration adds its line there (and its entry in
 * `db/migrations/index.ts`) in the same commit.
 */
const folder = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
const migrationFiles = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
  .sort();
const pins: Record<string, string> = landed;
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
      expect(pins, `pin ${name} in db/migrations/landed.json (its SHA-256) when it lands`).toHaveProperty([name]);
    }
  });

  it('are all registered in db/migrations/index.ts', () => {
    expect(Object.keys(migrations).sort()).toEqual(migrationFiles.map((name) => name.replace(/\.ts$/, '')));
  });
});
