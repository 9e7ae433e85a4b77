import { loadDevStackConfig, searchPath } from '../config/env.js';
import { ensureBrowserPackages, findChromium } from '../dev/browser.js';
import { toolsDir } from '../dev/paths.js';
import { resolveSchemathesis } from '../dev/schemathesis.js';
import { resolveTemporalCli } from '../dev/temporal-cli.js';

// Resolves (installing when needed) the dev tools the test setup, `npm start` and `npm run test:fuzz` use.
const log = (m: string) => process.stdout.write(`${m}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);
const config = loadDevStackConfig();

let started = performance.now();
const cli = resolveTemporalCli({ configuredPath: config.TEMPORAL_CLI_PATH, searchPath: searchPath(), toolsDir, log });
log(
  cli.kind === 'binary'
    ? `temporal CLI: ${cli.path} (from ${cli.source}, ${seconds(started)} s)`
    : `temporal CLI: not available locally; the Temporal SDK will download it (needs internet)`,
);

started = performance.now();
log(`schemathesis: ${resolveSchemathesis({ toolsDir, log })} (${seconds(started)} s)`);

// The Temporal UI test drives the system Chromium; Korean text needs CJK fonts.
started = performance.now();
const missing = ensureBrowserPackages({ configuredPath: config.CHROMIUM_PATH, searchPath: searchPath(), log });
log(missing.length === 0 ? `browser: ${findChromium(config.CHROMIUM_PATH, searchPath())} with Korean fonts (${seconds(started)} s)` : `browser: still missing ${missing.join(', ')}; the Temporal UI test will fail`);
