import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pipInstallIntoTools, toolsVenv } from './python-tools.js';

/** The one Schemathesis release `npm run test:fuzz` runs (PyPI, into the .tools venv). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** Whether the pinned release is the one in the venv (its dist-info folder names the version). */
function pinnedReleaseInstalled(venv: string): boolean {
  const lib = path.join(venv, 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((python) => existsSync(path.join(lib, python, 'site-packages', `schemathesis-${SCHEMATHESIS_VERSION}.dist-info`)));
}

/**
 * The Schemathesis CLI in the .tools venv, installed from PyPI when the pinned release is not
 * there yet. Idempotent: once installed it only checks a folder. Throws when it cannot install.
 */
export function resolveSchemathesis(options: { toolsDir: string; log: (message: string) => void }): string {
  const venv = toolsVenv(options.toolsDir);
  const binary = path.join(venv, 'bin', 'schemathesis');
  if (existsSync(binary) && pinnedReleaseInstalled(venv)) return binary;
  options.log(`installing Schemathesis (PyPI schemathesis==${SCHEMATHESIS_VERSION}) into ${venv}`);
  const failure = pipInstallIntoTools(options.toolsDir, `schemathesis==${SCHEMATHESIS_VERSION}`);
  if (failure) throw new Error(`could not install Schemathesis (${failure})`);
  return binary;
}
