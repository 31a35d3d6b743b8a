/**
 * Test support: `recon <command>` as a child process (node + tsx, the way `pnpm start` runs it),
 * with its stdout/stderr lines captured, a wait for a log line, and a signal-and-wait-for-exit
 * with a deadline. Only the node process is signalled (not its group), as a process manager would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@recon/testkit';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const MAIN = path.join(repoRoot, 'packages/cli/src/main.ts');

export interface ReconProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** The JSON log lines of stdout, parsed (non-JSON lines skipped). */
  logs(): Record<string, unknown>[];
  waitForLog(msg: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null>;
  exited(): Promise<number | null>;
}

function collect(stream: NodeJS.ReadableStream | null, into: string[]): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    into.push(...parts.filter((p) => p.length > 0));
  });
}

export function spawnRecon(args: readonly string[], env: Record<string, string | undefined>): ReconProcess {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collect(child.stdout, stdout);
  collect(child.stderr, stderr);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logs = () =>
    stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    child,
    stdout,
    stderr,
    logs,
    waitForLog: (msg, timeoutMs) =>
      Promise.race([
        waitFor(() => logs().find((l) => l['msg'] === msg), {
          timeoutMs,
          intervalMs: 50,
          description: `log line "${msg}"`,
        }),
        exit.then((code) => {
          throw new Error(
            `recon exited (${code}) before "${msg}":\n${[...stdout.slice(-5), ...stderr.slice(-10)].join('\n')}`,
          );
        }),
      ]),
    async stop(signal, timeoutMs) {
      if (child.exitCode === null) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`recon did not exit within ${timeoutMs} ms of ${signal}`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([exit, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    exited: () => exit,
  };
}

/** The environment of a child recon: this one's PATH etc., minus anything recon reads. */
export function childEnv(overrides: Record<string, string | undefined>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of [
    'DATABASE_URL',
    'EVENTSTORE_URL',
    'RECON_ADMIN_TOKEN',
    'RECON_SECRET_KEY',
    'CRON_SECRET',
    'RECON_DATA_DIR',
    'PORT',
    'HOST',
    'LOG_LEVEL',
  ])
    delete env[key];
  delete env['VITEST'];
  delete env['NODE_OPTIONS'];
  return { ...env, ...overrides };
}
