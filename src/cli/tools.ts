import { loadDevStackConfig, searchPath } from '../config/env.js';
import { toolsDir } from '../dev/paths.js';
import { resolveSchemathesis } from '../dev/schemathesis.js';
import { resolveTemporalCli } from '../dev/temporal-cli.js';

// Resolves (installing when needed) the dev tools the test setup, `npm start` and `npm run test:fuzz` use.
const log = (m: string) => process.stdout.write(`${m}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);

let started = performance.now();
const cli = resolveTemporalCli({ configuredPath: loadDevStackConfig().TEMPORAL_CLI_PATH, searchPath: searchPath(), toolsDir, log });
log(
  cli.kind === 'binary'
    ? `temporal CLI: ${cli.path} (from ${cli.source}, ${seconds(started)} s)`
    : `temporal CLI: not available locally; the Temporal SDK will download it (needs internet)`,
);

started = performance.now();
log(`schemathesis: ${resolveSchemathesis({ toolsDir, log })} (${seconds(started)} s)`);
