import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDevStackConfig } from '../config/env.js';

/** Repository root, resolved from this file so commands work from any working directory. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const dataDir = loadDevStackConfig().DEV_DATA_DIR ?? `${repoRoot}.data`;
export const toolsDir = `${repoRoot}.tools`;
export const devCredentialsFile = `${dataDir}/dev-credentials.json`;

/** Whether `file` exists and this process may execute it. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
