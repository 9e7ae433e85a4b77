import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ManagedChild {
  name: string;
  process: ChildProcess;
  /** Resolves when the process has exited, with its exit code or signal. */
  exited: Promise<string>;
  /** The stop signal, then SIGKILL after `graceMs`. Resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildOptions {
  /** Variables added to the inherited environment. */
  env?: Record<string, string>;
  logFile: string;
  /** Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Run as another OS user (root only). */
  identity?: { uid: number; gid: number };
}

/**
 * Runs a command in its own process group (so a terminal Ctrl-C reaches only us, and we stop
 * children in order) with stdout and stderr appended to a log file. The child writes the file
 * itself: through a pipe to us, its synchronous log writes would wait whenever we are busy (the
 * bench saw API requests stall on them). A child never outlives us.
 */
export function startChild(name: string, command: string, args: string[], options: ChildOptions): ManagedChild {
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log, log],
      detached: true,
      ...(options.identity ?? {}),
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log);
  }
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve(signal ? `signal ${signal}` : `exit code ${code}`);
    });
    child.once('error', (error) => {
      done = true;
      resolve(`failed to start: ${error.message}`);
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (done || !child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const killOnExit = () => signalGroup('SIGKILL');
  process.once('exit', killOnExit);
  return {
    name,
    process: child,
    exited,
    async stop(graceMs = 15_000) {
      process.removeListener('exit', killOnExit);
      signalGroup(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a TypeScript entrypoint in a plain node process (tsx as a loader, no wrapper process in between). */
export function startTsChild(name: string, entry: string, options: ChildOptions): ManagedChild {
  return startChild(name, process.execPath, ['--import', 'tsx', entry], options);
}
