import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { scheduleStartsPerSecond } from '../../src/dev/temporal-server.js';

// Docker does not run on our machines, so the compose file is checked as data.
interface Service {
  image?: string;
  build?: unknown;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
  healthcheck?: { test: unknown };
  restart?: string;
}
const compose = parse(readFileSync(fileURLToPath(new URL('../../docker-compose.yml', import.meta.url)), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = Object.entries(compose.services);
const appServices = ['migrate', 'api', 'worker'];

/** The variables the config module refuses to start without in production. */
function requiredInProduction(): string[] {
  try {
    loadConfig({ NODE_ENV: 'production' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.split(' ')[0]!);
  }
  throw new Error('expected production config without variables to fail');
}

describe('docker-compose.yml', () => {
  it('has the services of the deployment', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'migrate', 'postgresql', 'temporal', 'temporal-admin-tools', 'temporal-create-namespace', 'temporal-ui', 'worker'].sort(),
    );
  });

  it.each(services)('%s has a pinned image or a build', (_name, service) => {
    if (service.build === undefined) {
      expect(service.image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(service.image).not.toMatch(/:latest$/);
    }
    expect(service.image ?? service.build).toBeDefined();
  });

  it('does not use the deprecated temporalio/auto-setup image', () => {
    expect(services.map(([, s]) => s.image ?? '')).not.toContainEqual(expect.stringContaining('auto-setup'));
  });

  it.each(services)('%s depends only on services that exist', (_name, service) => {
    for (const dependency of Object.keys(service.depends_on ?? {})) expect(compose.services).toHaveProperty([dependency]);
  });

  it('long-running services have healthchecks; one-shots do not restart', () => {
    for (const [name, service] of services) {
      if (service.restart === 'no') continue;
      expect(service.healthcheck, name).toBeDefined();
    }
    for (const oneShot of ['temporal-admin-tools', 'temporal-create-namespace', 'migrate']) expect(compose.services[oneShot]!.restart).toBe('no');
  });

  it.each(appServices)('%s gets every variable the config module requires in production', (name) => {
    const environment = compose.services[name]!.environment ?? {};
    expect(environment.NODE_ENV).toBe('production');
    for (const variable of requiredInProduction()) expect(environment, variable).toHaveProperty([variable]);
  });

  it('the worker runs the prebuilt workflow bundle', () => {
    expect(compose.services.worker!.environment?.WORKFLOW_BUNDLE_PATH).toBe('dist/workflow-bundle.js');
  });

  it('the Temporal server lets schedules start the runs of a slot as fast as the dev server does', () => {
    const temporal = compose.services.temporal as Service & { volumes?: string[] };
    const mount = temporal.volumes?.find((v) => v.endsWith(':/etc/temporal/config/dynamicconfig:ro'));
    expect(mount).toBeDefined();
    const dynamicConfig = parse(readFileSync(fileURLToPath(new URL(`../../${mount!.split(':')[0]!.replace(/^\.\//, '')}/development-sql.yaml`, import.meta.url)), 'utf8')) as Record<string, { value: unknown }[]>;
    expect(dynamicConfig['worker.schedulerNamespaceStartWorkflowRPS']).toEqual([{ value: scheduleStartsPerSecond, constraints: {} }]);
  });
});
