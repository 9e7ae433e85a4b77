import { builtinModules } from 'node:module';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { workflowForbiddenImports } from '../../eslint.config.js';

// The rule set the project config applies to src/workflows, run on snippets.
const linter = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { '@typescript-eslint': tseslint.plugin },
      rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowForbiddenImports] },
    },
  ],
});

async function problems(code: string): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath: 'src/workflows/example.ts' });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('lint rule for workflow code', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';"],
    ["import fs from 'fs';"],
    ["import { readFile } from 'fs/promises';"],
    ["import { Buffer } from 'buffer';"],
    ["import assert from 'assert';"],
    ["import { setTimeout } from 'timers/promises';"],
    ["import { test } from 'node:test';"],
    ["import { Kysely } from 'kysely';"],
    ["import pg from 'pg';"],
    ["import { request } from 'undici';"],
    ["import { pino } from 'pino';"],
    ["import { createActivities } from '../activities/index.js';"],
    ["import type { CollectionActivityDeps } from '../activities/collection/collection-activities.js';"],
    ["import { findLink } from '../db/repositories/mall-links.js';"],
    ["import type { LeaseAcquisition } from '../db/repositories/collection-leases.js';"],
    ["import type { MallLinkRow } from '../../db/schema.js';"],
    ["import { Cafe24Client } from '../clients/cafe24/client.js';"],
    ["import type { Cafe24TokenManager } from '../clients/cafe24/token-manager.js';"],
    ["import type { ShipmentRequestCommand } from '../services/shipment-requests.js';"],
    ["import { Worker } from '@temporalio/worker';"],
  ])('rejects %s', async (code) => {
    expect(await problems(code)).toHaveLength(1);
  });

  it('rejects every Node built-in, with or without the node: prefix', async () => {
    for (const name of builtinModules.filter((n) => !n.startsWith('node:'))) {
      expect(await problems(`import x from '${name}';`), name).toHaveLength(1);
      expect(await problems(`import x from 'node:${name}';`), `node:${name}`).toHaveLength(1);
    }
  });

  it.each([
    ["import type { CollectionActivities } from '../temporal/collection.js';"],
    ["import { workflowTypes } from '../temporal/names.js';"],
    ["import { proxyActivities } from '@temporalio/workflow';"],
    ["import { defineSearchAttributeKey } from '@temporalio/common';"],
    ["import { slotsOn } from '../domain/timetable.js';"],
    ["import { runSlot } from './slot.js';"],
  ])('allows %s', async (code) => {
    expect(await problems(code)).toEqual([]);
  });

  it.each(['src/workflows/index.ts', 'src/temporal/collection.ts'])('is what the project config applies to %s', async (file) => {
    const config = await new ESLint().calculateConfigForFile(file);
    expect(config.rules['@typescript-eslint/no-restricted-imports']).toEqual([2, workflowForbiddenImports]);
  });
});
