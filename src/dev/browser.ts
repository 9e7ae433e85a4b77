import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { isExecutable } from './paths.js';

/** Debian packages the browser test needs: the browser, and CJK fonts so Korean renders. */
export const browserPackages = ['chromium', 'fonts-noto-cjk'] as const;

const browserNames = ['chromium', 'chromium-browser'];

/** The system Chromium (CHROMIUM_PATH, else `chromium` on PATH); playwright-core drives it, no browser download. */
export function findChromium(configuredPath: string | undefined, searchPath: string[]): string | undefined {
  if (configuredPath) return isExecutable(configuredPath) ? configuredPath : undefined;
  return searchPath.flatMap((dir) => browserNames.map((name) => path.join(dir, name))).find(isExecutable);
}

/** Whether fontconfig knows a font with Korean glyphs. */
export function hasKoreanFont(): boolean {
  const listed = spawnSync('fc-list', [':lang=ko', 'family'], { encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.trim() !== '';
}

/**
 * Installs the missing browser packages with apt-get (Debian/Ubuntu, as root), so a fresh machine
 * of the project's kind runs the browser test. Returns what is still missing afterwards.
 */
export function ensureBrowserPackages(options: { configuredPath: string | undefined; searchPath: string[]; log: (message: string) => void }): string[] {
  const missing = () => [
    ...(findChromium(options.configuredPath, options.searchPath) ? [] : ['chromium']),
    ...(hasKoreanFont() ? [] : ['fonts-noto-cjk']),
  ];
  const before = missing();
  if (before.length === 0) return [];
  if (process.getuid?.() !== 0 || !isExecutable('/usr/bin/apt-get')) {
    options.log(`missing ${before.join(', ')}: install the Debian packages ${browserPackages.join(' ')} (needs root and apt-get)`);
    return before;
  }
  options.log(`installing ${browserPackages.join(', ')} with apt-get`);
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...browserPackages]]) {
    // `env` sets DEBIAN_FRONTEND for apt-get alone, so no package asks questions.
    const result = spawnSync('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) {
      options.log(`apt-get ${args[0]} failed: ${result.error?.message ?? result.stderr.trim().split('\n').slice(-3).join(' ')}`);
      break;
    }
  }
  return missing();
}
