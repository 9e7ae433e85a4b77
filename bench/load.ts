import { Agent, request } from 'undici';

/**
 * Open-loop load from a process of its own: `rate` requests/s for `seconds`, each picked from
 * the weighted request mix, latency from send to full body. Prints one JSON line of results.
 * Argument: the plan as JSON ({ baseUrls, rate, seconds, headers, mix: [{ label, weight, method, path, body? }] });
 * requests take the base URLs in turn (several processes of one service); results are also given per label.
 */
interface Plan {
  baseUrls: string[];
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  mix: { label: string; weight: number; method: 'GET' | 'PATCH' | 'POST'; path: string; body?: unknown }[];
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });
const totalWeight = plan.mix.reduce((n, m) => n + m.weight, 0);
const pick = (i: number) => {
  let roll = ((i * 7919) % totalWeight) + 0.5;
  return plan.mix.find((m) => (roll -= m.weight) < 0)!;
};

interface Tally {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
}
const newTally = (): Tally => ({ latencies: [], statuses: {}, errors: 0 });
const all = newTally();
const byLabel = new Map<string, Tally>(plan.mix.map((m) => [m.label, newTally()]));
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
    request(`${plan.baseUrls[i % plan.baseUrls.length]}${m.path}`, {
      dispatcher: agent,
      method: m.method,
      headers: { ...plan.headers, ...(m.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: m.body === undefined ? undefined : JSON.stringify(m.body),
    })
      .then(async (res) => {
        await res.body.text();
        for (const tally of [all, byLabel.get(m.label)!]) {
          tally.latencies.push(performance.now() - sent);
          tally.statuses[res.statusCode] = (tally.statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 500) tally.errors += 1;
        }
      })
      .catch(() => {
        all.errors += 1;
        byLabel.get(m.label)!.errors += 1;
      }),
  );
}
await Promise.all(inFlight);
const seconds = (performance.now() - started) / 1000;
const summary = ({ latencies, statuses, errors }: Tally) => {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { achievedRate: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), errors, statuses };
};
process.stdout.write(`${JSON.stringify({ ...summary(all), byLabel: Object.fromEntries([...byLabel].map(([label, tally]) => [label, summary(tally)])) })}\n`);
await agent.close();
