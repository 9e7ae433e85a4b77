import { loadDevStackConfig, searchPath } from '../config/env.js';
import { toolsDir } from '../dev/paths.js';
import { resolveTemporalCli } from '../dev/temporal-cli.js';

// Resolves (installing when needed) the dev tools the test setup and `npm start` use.
const started = performance.now();
const cli = resolveTemporalCli({
  configuredPath: loadDevStackConfig().TEMPORAL_CLI_PATH,
  searchPath: searchPath(),
  toolsDir,
  log: (m) => process.stdout.write(`${m}\n`),
});
const elapsed = ((performance.now() - started) / 1000).toFixed(2);
process.stdout.write(
  cli.kind === 'binary'
    ? `temporal CLI: ${cli.path} (from ${cli.source}, ${elapsed} s)\n`
    : `temporal CLI: not available locally; the Temporal SDK will download it (needs internet)\n`,
);
