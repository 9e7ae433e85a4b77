import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers in tests log only warnings; Runtime.install may run once per process.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by an earlier file in this process.
}
