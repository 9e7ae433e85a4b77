import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTemporalCli } from './temporal-cli.js';

function fakeBinary(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'temporal');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

const quiet = () => {};

describe('resolveTemporalCli', () => {
  it('prefers TEMPORAL_CLI_PATH over everything else', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const configured = fakeBinary(path.join(root, 'configured'));
    fakeBinary(path.join(root, 'onpath'));
    const cli = resolveTemporalCli({ configuredPath: configured, searchPath: [path.join(root, 'onpath')], toolsDir: root, log: quiet });
    expect(cli).toEqual({ kind: 'binary', path: configured, source: 'TEMPORAL_CLI_PATH' });
  });

  it('refuses a TEMPORAL_CLI_PATH that is not executable rather than silently using another', () => {
    expect(() => resolveTemporalCli({ configuredPath: '/nonexistent/temporal', searchPath: [], toolsDir: '/nonexistent', log: quiet })).toThrow(
      /TEMPORAL_CLI_PATH/,
    );
  });

  it('then takes `temporal` on PATH before .tools', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const onPath = fakeBinary(path.join(root, 'bin'));
    fakeBinary(path.join(root, 'tools', 'py', 'bin'));
    const cli = resolveTemporalCli({ configuredPath: undefined, searchPath: ['/nonexistent', path.join(root, 'bin')], toolsDir: path.join(root, 'tools'), log: quiet });
    expect(cli).toEqual({ kind: 'binary', path: onPath, source: 'PATH' });
  });

  it('then the venv under .tools, without installing anything', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const venv = fakeBinary(path.join(root, 'py', 'bin'));
    const messages: string[] = [];
    const cli = resolveTemporalCli({ configuredPath: undefined, searchPath: [], toolsDir: root, log: (m) => messages.push(m) });
    expect(cli).toEqual({ kind: 'binary', path: venv, source: '.tools' });
    expect(messages).toEqual([]);
  });
});
