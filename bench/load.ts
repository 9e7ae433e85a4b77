import { Agent, request } from 'undici';

/**
 * Open-loop load from a process of its own: `rate` requests/s for `seconds`, each picked from
 * the weighted request mix, latency from send to full body. Prints one JSON line of results.
 * Argument: the plan as JSON ({ baseUrl, rate, seconds, headers, mix: [{ weight, method, path, body? }] }).
 */
interface Plan {
  baseUrl: string;
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  mix: { weight: number; method: 'GET' | 'PATCH' | 'POST'; path: string; body?: unknown }[];
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });
const totalWeight = plan.mix.reduce((n, m) => n + m.weight, 0);
const pick = (i: number) => {
  let roll = ((i * 7919) % totalWeight) + 0.5;
  return plan.mix.find((m) => (roll -= m.weight) < 0)!;
};

const latencies: number[] = [];
const statuses: Record<string, number> = {};
let errors = 0;
const total = plan.rate * plan.seconds;
const started = performance.now();
const inFlight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / plan.rate;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  const m = pick(i);
  const sent = performance.now();
  inFlight.push(
    request(`${plan.baseUrl}${m.path}`, {
      dispatcher: agent,
      method: m.method,
      headers: { ...plan.headers, ...(m.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: m.body === undefined ? undefined : JSON.stringify(m.body),
    })
      .then(async (res) => {
        await res.body.text();
        latencies.push(performance.now() - sent);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 500) errors += 1;
      })
      .catch(() => {
        errors += 1;
      }),
  );
}
await Promise.all(inFlight);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(`${JSON.stringify({ achievedRate: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), errors, statuses })}\n`);
await agent.close();
