import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { insertApiKey } from '../src/db/repositories/api-keys.js';
import { generateApiKey } from '../src/domain/api-keys.js';
import { startChild } from '../src/dev/child-process.js';
import { repoRoot } from '../src/dev/paths.js';
import { freePort } from '../src/dev/ports.js';
import type { BenchStack } from './stack.js';

/**
 * D: the config API (`npm run api`) under open-loop load from a second process — GET …/status,
 * PATCH the link, POST …/collections — and a bare Hono route in a process of its own as the
 * baseline, at the same offered rates.
 */

export interface ConfigApiMeasure {
  target: string;
  offeredRate: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  statuses: Record<string, number>;
  p99OverBare: number | null;
}

const run = promisify(execFile);

async function load(plan: object): Promise<Omit<ConfigApiMeasure, 'target' | 'offeredRate' | 'p99OverBare'>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench/load.ts'), JSON.stringify(plan)], { cwd: repoRoot, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

export async function benchConfigApi(stack: BenchStack, options: { quick: boolean }): Promise<ConfigApiMeasure[]> {
  const key = generateApiKey();
  await insertApiKey(stack.db, { name: 'bench', scope: { role: 'admin', cstCd: null }, displayPrefix: key.displayPrefix, hash: key.hash });
  const link = await stack.db.selectFrom('mall_links').select(['id']).orderBy('created_at').executeTakeFirstOrThrow();
  const apiPort = await freePort();
  await stack.startProcess('api-d', 'src/api/main.ts', 'api listening', { API_PORT: String(apiPort), API_HOST: '127.0.0.1' });
  const barePort = await freePort();
  const bare = startChild('bare', process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench/bare-hono.ts'), String(barePort)], { logFile: path.join(stack.workDir, 'bare.log') });
  try {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const seconds = options.quick ? 5 : 15;
    const results: ConfigApiMeasure[] = [];
    for (const rate of [100, 500]) {
      const bareResult = await load({ baseUrl: `http://127.0.0.1:${barePort}`, rate, seconds, headers: {}, mix: [{ weight: 1, method: 'GET', path: '/status' }] });
      results.push({ target: 'bare Hono route', offeredRate: rate, ...bareResult, p99OverBare: null });
      const api = await load({
        baseUrl: `http://127.0.0.1:${apiPort}`,
        rate,
        seconds,
        headers: { authorization: `Bearer ${key.plaintext}` },
        mix: [
          { weight: 16, method: 'GET', path: `/v1/mall-links/${link.id}/status` },
          { weight: 3, method: 'PATCH', path: `/v1/mall-links/${link.id}`, body: { minutesAfterPayment: 10 } },
          { weight: 1, method: 'POST', path: `/v1/mall-links/${link.id}/collections`, body: {} },
        ],
      });
      results.push({ target: 'config API (80% GET status, 15% PATCH, 5% POST collections)', offeredRate: rate, ...api, p99OverBare: api.p99Ms / bareResult.p99Ms });
    }
    return results;
  } finally {
    await bare.stop(5_000);
  }
}
