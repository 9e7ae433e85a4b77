import { Agent, type Dispatcher } from 'undici';

/** The one undici dispatcher Cafe24 calls share, with explicit timeouts (a hung mall must not stall a worker). */
export function createCafe24Dispatcher(timeoutMs: number): Dispatcher {
  return new Agent({
    connect: { timeout: Math.min(timeoutMs, 10_000) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 10_000,
    connections: 16,
  });
}

const mallIdPattern = /^[a-z0-9][a-z0-9_-]{1,31}$/;

/** The mall's base URL from the configured template; the mall id is checked so it cannot rewrite the host. */
export function cafe24BaseUrl(template: string, mallId: string): string {
  if (!mallIdPattern.test(mallId)) throw new RangeError(`not a Cafe24 mall id: ${JSON.stringify(mallId)}`);
  return template.replaceAll('{mall_id}', mallId);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
