import { promises as fs } from 'node:fs';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One `npm start` per checkout: a pid file created exclusively. A file left by a process that
 * is gone (killed with SIGKILL) is taken over. Returns the release function.
 */
export async function acquireStackLock(file: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return () => fs.rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && isAlive(pid)) {
        process.stderr.write(`npm start is already running (pid ${pid}); stop it with Ctrl-C in its terminal or \`kill ${pid}\`.\n`);
        process.exit(1);
      }
      await fs.rm(file, { force: true });
    }
  }
}
