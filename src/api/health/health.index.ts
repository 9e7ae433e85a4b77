import { sql } from 'kysely';
import { withinDeadline } from '../../deadline.js';
import { createRouter } from '../lib/router.js';
import { healthz, readyz } from './health.routes.js';

const checkTimeoutMs = 2_000;

async function check(probe: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await withinDeadline(probe(), checkTimeoutMs, `no answer within ${checkTimeoutMs} ms`);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export const healthRouter = createRouter()
  .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(readyz, async (c) => {
    const { db, temporalProbe } = c.get('deps');
    const [postgres, temporalCheck] = await Promise.all([
      check(() => sql`select 1`.execute(db)),
      check(() => temporalProbe.check(checkTimeoutMs)),
    ]);
    const ready = postgres.ok && temporalCheck.ok;
    const body = { status: ready ? ('ready' as const) : ('not_ready' as const), checks: { postgres, temporal: temporalCheck } };
    return ready ? c.json(body, 200) : c.json(body, 503);
  });
