import { loadDevStackConfig, searchPath } from '../config/env.js';
import { ensureBrowserPackages, findChromium } from '../dev/browser.js';
import { toolsDir } from '../dev/paths.js';
import { resolveTemporalCli } from '../dev/temporal-cli.js';

// Resolves (installing when needed) the dev tools the test setup and `npm start` use.
const log = (m: string) => process.stdout.write(`${m}\n`);
const config = loadDevStackConfig();
const started = performance.now();
const cli = resolveTemporalCli({
  configuredPath: config.TEMPORAL_CLI_PATH,
  searchPath: searchPath(),
  toolsDir,
  log,
});
const elapsed = ((performance.now() - started) / 1000).toFixed(2);
process.stdout.write(
  cli.kind === 'binary'
    ? `temporal CLI: ${cli.path} (from ${cli.source}, ${elapsed} s)\n`
    : `temporal CLI: not available locally; the Temporal SDK will download it (needs internet)\n`,
);

// The Temporal UI test drives the system Chromium; Korean text needs CJK fonts.
const browserStarted = performance.now();
const missing = ensureBrowserPackages({ configuredPath: config.CHROMIUM_PATH, searchPath: searchPath(), log });
const browserElapsed = ((performance.now() - browserStarted) / 1000).toFixed(2);
process.stdout.write(
  missing.length === 0
    ? `browser: ${findChromium(config.CHROMIUM_PATH, searchPath())} with Korean fonts (${browserElapsed} s)\n`
    : `browser: still missing ${missing.join(', ')}; the Temporal UI test will fail\n`,
);
