// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noNodeBuiltins = 'Workflow code is deterministic: no Node built-ins. Do I/O in an activity.';

/** Modules that make workflow code non-deterministic or pull I/O into the workflow sandbox. */
export const workflowForbiddenImports = {
  // Every built-in this Node knows (fs, fs/promises, …), so none is forgotten; prefix-only ones
  // (node:test, node:sqlite on newer Node) are caught by the node:* pattern.
  paths: builtinModules.filter((name) => !name.startsWith('node:')).map((name) => ({ name, message: noNodeBuiltins })),
  patterns: [
    { group: ['node:*'], message: noNodeBuiltins },
    { group: ['pg', 'pg/*', 'kysely', 'kysely/*', 'undici', 'undici/*', 'pino', 'pino/*'], message: 'No database, HTTP or logger clients in workflows; use activities and `log` from @temporalio/workflow.' },
    {
      group: ['**/activities/**', '**/activities', '**/clients/**', '**/db/**', '../../db/**', '**/services/**', '**/services'],
      message: 'Workflows import nothing from activities, clients, db or services, not even types: activity interfaces and the types they exchange live in src/temporal/.',
    },
    { group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity'], message: 'Workflows use @temporalio/workflow and @temporalio/common only.' },
  ],
};

/** Simulators are for dev and tests only: product code never depends on them. */
export const simulatorForbiddenImports = {
  patterns: [{ group: ['**/sim/**', '**/sim'], message: 'Product code never imports the simulators (src/sim).' }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // One configuration module reads the environment; everything else receives parsed config.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config/env.ts.' }],
    },
  },
  {
    // The fuzz runner reads CI and FUZZ_SEED, settings of the test tool and not of the service.
    files: ['src/config/env.ts', 'src/dev/child-process.ts', 'test/fuzz/run.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Migrations use Kysely<any> on purpose: they must not follow later schema types.
    files: ['db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/sim/**', 'src/dev/**', 'src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', simulatorForbiddenImports] },
  },
  {
    // The contract is imported by workflows, so it is held to the same rule.
    files: ['src/workflows/**/*.ts', 'src/temporal/**/*.ts'],
    ignores: ['src/workflows/**/*.test.ts', 'src/temporal/**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowForbiddenImports] },
  },
  {
    // Simulators are for development and tests: product code never depends on them.
    files: ['src/**/*.ts'],
    ignores: ['src/sim/**', 'src/dev/**', 'src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/sim/**', '**/sim'], message: 'Product code never imports the simulators (src/sim).' }] }] },
  },
  {
    // The API process starts workflows through the client; the worker SDK (native core, webpack) stays out of it.
    files: ['src/api/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: '@temporalio/worker', message: 'The API never imports the worker SDK.' }] }] },
  },
);
