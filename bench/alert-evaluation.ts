import type { Client } from '@temporalio/client';
import pino from 'pino';
import { loadConfig } from '../src/config/env.js';
import { scheduleSettings } from '../src/schedules/temporal-schedule-sync.js';
import { alertSettings, evaluateAlerts } from '../src/services/alerts.js';
import { countingScheduleCalls } from '../test/support/schedules.js';
import { cpuSeconds, type BenchStack } from './stack.js';

/**
 * E: one alert evaluation over every link on the slot stack, as the worker runs it every 5
 * minutes; then one that describes every link's schedules, as the evaluation did before it read the
 * schedule list (and still does when the list fails). Run in this process, so its CPU is ours.
 */
export async function benchAlertEvaluation(stack: BenchStack): Promise<Record<string, string>> {
  const config = loadConfig(stack.env);
  const settings = alertSettings(config, scheduleSettings(config));
  const links = Number((await stack.db.selectFrom('mall_links').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const measure = async (describeEveryLink: boolean) => {
    const counting = countingScheduleCalls(stack.temporal, 'describe');
    // A list that fails makes the evaluation describe every link, as it did before it read the list.
    const temporal = describeEveryLink ? withFailingScheduleList(counting.client) : counting.client;
    const serverBefore = stack.temporalPid === null ? null : cpuSeconds(stack.temporalPid);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const evaluation = await evaluateAlerts({ db: stack.db, temporal, log: pino({ level: 'silent' }), settings }, new Date());
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const server = serverBefore === null ? 'n/a' : `${(cpuSeconds(stack.temporalPid!) - serverBefore).toFixed(1)} CPU s`;
    return `${seconds.toFixed(1)} s, ${counting.calls.length} schedules described, evaluation ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s, Temporal ${server}; ${evaluation.open} alerts open`;
  };
  return {
    links: String(links),
    'one evaluation': await measure(false),
    'one evaluation describing every link (as before)': await measure(true),
  };
}

function withFailingScheduleList(client: Client): Client {
  const schedule = new Proxy(client.schedule, {
    get: (target, property, receiver) =>
      property === 'list'
        ? () => {
            throw new Error('bench: no schedule list');
          }
        : Reflect.get(target, property, receiver),
  });
  return new Proxy(client, { get: (target, property) => (property === 'schedule' ? schedule : Reflect.get(target, property, target)) });
}
