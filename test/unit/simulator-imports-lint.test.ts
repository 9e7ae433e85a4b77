import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { simulatorForbiddenImports } from '../../eslint.config.js';

// Product code must never import the simulators; dev tooling and tests may.
const linter = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-imports': ['error', simulatorForbiddenImports] } }],
});

async function problems(code: string): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath: 'src/activities/example.ts' });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('lint rule against simulator imports', () => {
  it.each([["import { startFmsSimulator } from '../sim/fms/server.js';"], ["import type { FmsSimControl } from '../../sim/fms/server.js';"]])('rejects %s', async (code) => {
    expect(await problems(code)).toHaveLength(1);
  });

  it('allows other imports', async () => {
    expect(await problems("import { createFmsClient } from '../clients/fms/fms-client.js';")).toEqual([]);
  });

  it.each([
    ['src/api/app.ts', true],
    ['src/activities/shipment-request.ts', true],
    ['src/workflows/index.ts', true],
    ['src/dev/fms-simulator.ts', false],
    ['src/sim/fms/server.ts', false],
    ['src/clients/fms/fms-client.test.ts', false],
  ])('the project config applies it to %s: %s', async (file, applies) => {
    const config = await new ESLint().calculateConfigForFile(file);
    expect(config.rules?.['no-restricted-imports'] !== undefined).toBe(applies);
  });
});
