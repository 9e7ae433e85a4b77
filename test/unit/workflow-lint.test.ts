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
    ["import { Kysely } from 'kysely';"],
    ["import pg from 'pg';"],
    ["import { request } from 'undici';"],
    ["import { pino } from 'pino';"],
    ["import { createActivities } from '../activities/index.js';"],
    ["import { findLink } from '../db/repositories/mall-links.js';"],
    ["import { Cafe24Client } from '../clients/cafe24/client.js';"],
    ["import { Worker } from '@temporalio/worker';"],
  ])('rejects %s', async (code) => {
    expect(await problems(code)).toHaveLength(1);
  });

  it.each([
    ["import type { Activities } from '../activities/index.js';"],
    ["import { proxyActivities } from '@temporalio/workflow';"],
    ["import { defineSearchAttributeKey } from '@temporalio/common';"],
    ["import { slotsOn } from '../domain/timetable.js';"],
  ])('allows %s', async (code) => {
    expect(await problems(code)).toEqual([]);
  });

  it('is what the project config applies to files under src/workflows', async () => {
    const config = await new ESLint().calculateConfigForFile('src/workflows/index.ts');
    expect(config.rules['@typescript-eslint/no-restricted-imports']).toEqual([2, workflowForbiddenImports]);
  });
});
