import { fileURLToPath } from 'node:url';

/** Repository root, resolved from this file so commands work from any working directory. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const dataDir = `${repoRoot}.data`;
export const toolsDir = `${repoRoot}.tools`;
export const devCredentialsFile = `${dataDir}/dev-credentials.json`;
