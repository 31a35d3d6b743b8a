/**
 * Test support for the fault-injection e2e tests (issue 11): `recon start` as a child process on a
 * fresh database of the shared PostgreSQL server, driven over loopback HTTP, plus the levers the
 * tests pull on the server (terminate recon's sessions, refuse connections to its database) and
 * read-only looks at the event store and the advisory locks. Secrets are fixed test values.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase, postgresServerUrl, waitFor, type FreshDatabase } from '@recon/testkit';
import pg from 'pg';
import { freePort } from '../../runtime/free-port';
import { childEnv, spawnRecon, type ReconProcess } from '../../testing/recon-process';

export const ADMIN_TOKEN = 'fault-admin-token-0123456789abcdef';
export const SECRET_KEY = 'fault-secret-key-0123456789abcdef-0123456789';
export const CRON_SECRET = 'fault-cron-secret-0123456789';

export interface HttpResult {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown>;
}

/** One HTTP call; a refused or reset connection is status 0 (never thrown). */
export async function http(
  baseUrl: string,
  method: string,
  pathname: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  try {
    const response = await fetch(`${baseUrl}${pathname}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { nonJson: text.slice(0, 200) };
    }
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: parsed };
  } catch (error) {
    return { status: 0, retryAfter: null, body: { transport: error instanceof Error ? error.name : 'error' } };
  }
}

export function errorCode(result: HttpResult): string | undefined {
  return (result.body['error'] as { code?: string } | undefined)?.code;
}

export interface FaultRecon {
  readonly proc: ReconProcess;
  readonly url: string;
  readonly port: number;
  /** Throws when the process has exited (with its last output), so a crash fails the test at once. */
  assertAlive(): void;
}

/** A fresh database (recon migrates it) and the server it lives on; `close()` stops every recon started here and drops it. */
export class FaultWorld {
  readonly running: FaultRecon[] = [];
  private dataDirs: string[] = [];
  private checker: pg.Pool | null = null;
  private constructor(
    readonly database: FreshDatabase,
    readonly serverUrl: string,
    readonly dbName: string,
  ) {}

  static async create(name: string): Promise<FaultWorld> {
    const database = await freshDatabase({ name });
    const serverUrl = await postgresServerUrl();
    return new FaultWorld(database, serverUrl, new URL(database.url).pathname.slice(1));
  }

  /** A world on another server (e.g. a test's own embedded cluster): a new empty database there, dropped by `close()`. */
  static async createOn(serverUrl: string, name: string): Promise<FaultWorld> {
    const dbName = `faults_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`).finally(() => admin.end());
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    pool.on('error', () => undefined);
    const database: FreshDatabase = {
      url: url.toString(),
      pool,
      async drop() {
        await pool.end().catch(() => undefined);
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).finally(() => c.end());
      },
    };
    return new FaultWorld(database, serverUrl, dbName);
  }

  /** The environment of a recon child on this world's database (fixed secrets, its own data directory). */
  private async env(port: number, extra: Record<string, string> = {}): Promise<Record<string, string | undefined>> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'recon-faults-'));
    this.dataDirs.push(dataDir);
    return childEnv({
      DATABASE_URL: this.database.url,
      RECON_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RECON_ADMIN_TOKEN: ADMIN_TOKEN,
      RECON_SECRET_KEY: SECRET_KEY,
      CRON_SECRET,
      // Its providers point at a dead port on 127.0.0.1: private addresses allowed, explicitly.
      RECON_ALLOW_PRIVATE_URLS: '1',
      // Load from one address with one token in tight loops: the rate limits are not what these tests measure.
      RECON_RATE_LIMIT_WEBHOOK_MAX: '0',
      RECON_RATE_LIMIT_API_MAX: '0',
      RECON_RATE_LIMIT_IP_MAX: '0',
      ...extra,
    });
  }

  /** Spawns a one-shot `recon <args>` (e.g. `rebuild`, `backfill …`) on this world's database without waiting for it. */
  async spawnCommand(args: readonly string[]): Promise<ReconProcess> {
    return spawnRecon(args, await this.env(await freePort(), { LOG_LEVEL: 'warn' }));
  }

  /** Runs a one-shot `recon <args>` (e.g. `rebuild`) on this world's database; resolves with its exit code and output. */
  async run(
    args: readonly string[],
    timeoutMs: number,
  ): Promise<{ code: number | null; stdout: string[]; stderr: string[] }> {
    const proc = await this.spawnCommand(args);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `recon ${args.join(' ')} did not exit within ${timeoutMs} ms:\n${proc.stderr.slice(-10).join('\n')}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      const code = await Promise.race([proc.exited(), deadline]);
      return { code, stdout: proc.stdout, stderr: proc.stderr };
    } finally {
      clearTimeout(timer);
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    }
  }

  /** `recon start` (every role unless `roles` is given) with DATABASE_URL on this world's database. */
  async start(options: { port?: number; roles?: string; env?: Record<string, string> } = {}): Promise<FaultRecon> {
    const port = options.port ?? (await freePort());
    const args = ['start', ...(options.roles !== undefined ? ['--role', options.roles] : [])];
    const proc = spawnRecon(args, await this.env(port, options.env));
    const recon: FaultRecon = {
      proc,
      url: `http://127.0.0.1:${port}`,
      port,
      assertAlive() {
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
          throw new Error(
            `recon exited (code ${proc.child.exitCode}, signal ${proc.child.signalCode}):\n${proc.stderr.slice(0, 6).join('\n')}`,
          );
        }
      },
    };
    this.running.push(recon);
    await proc.waitForLog('recon started', 60_000);
    return recon;
  }

  /** A pool on the test database for read-only checks (its idle clients may be terminated by the tests). */
  pool(): pg.Pool {
    if (this.checker === null) {
      this.checker = new pg.Pool({ connectionString: this.database.url, max: 2 });
      this.checker.on('error', () => undefined);
    }
    return this.checker;
  }

  /** A query on the test database, retried until it answers (the tests end sessions under it). */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], timeoutMs = 20_000): Promise<R[]> {
    return waitFor(async () => (await this.pool().query<R>(text, values)).rows, {
      timeoutMs,
      intervalMs: 200,
      description: 'a query on the test database',
    });
  }

  /** Runs `work` on a short-lived session to the server's maintenance database (not the test database). */
  async admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.serverUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Ends every session on the test database, as a failover or `pg_ctl restart` does; returns how many. */
  async terminateSessions(): Promise<number> {
    return this.admin(async (c) => {
      const r = await c.query<{ n: string }>(
        'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [this.dbName],
      );
      return Number(r.rows[0]?.n ?? 0);
    });
  }

  /** `ALTER DATABASE … ALLOW_CONNECTIONS` on the test database. */
  async allowConnections(allow: boolean): Promise<void> {
    await this.admin((c) =>
      c.query(`ALTER DATABASE "${this.dbName.replace(/"/g, '""')}" ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`),
    );
  }

  async close(): Promise<void> {
    for (const r of this.running)
      if (r.proc.child.exitCode === null && r.proc.child.signalCode === null)
        await r.proc.stop('SIGKILL', 5_000).catch(() => undefined);
    await this.allowConnections(true).catch(() => undefined);
    await this.checker?.end().catch(() => undefined);
    await this.database.drop();
    for (const d of this.dataDirs) await rm(d, { recursive: true, force: true });
  }
}

/** A workspace with an operator key, Calendly and GHL configured (provider API calls go to a closed local port). */
export async function setupWorkspace(
  recon: FaultRecon,
  ghlPublicKeyPem: string,
  calendlySigningKey: string,
): Promise<{ ws: string; key: string }> {
  const admin = { token: ADMIN_TOKEN };
  const created = await http(recon.url, 'POST', '/v1/workspaces', { ...admin, body: { name: 'Faults' } });
  if (created.status !== 201) throw new Error(`workspace not created: ${created.status}`);
  const ws = String(created.body['id']);
  const key = await http(recon.url, 'POST', `/v1/workspaces/${ws}/api-keys`, { ...admin, body: { label: 'faults' } });
  if (key.status !== 201) throw new Error(`key not created: ${key.status}`);
  const dead = `http://127.0.0.1:${await freePort()}`;
  const cal = await http(recon.url, 'PUT', `/v1/workspaces/${ws}/providers/calendly`, {
    ...admin,
    body: {
      accessToken: 'fault-calendly-token',
      organizationUri: 'https://api.calendly.com/organizations/fault0001',
      webhookSigningKey: calendlySigningKey,
      apiBaseUrl: dead,
    },
  });
  if (cal.status !== 200) throw new Error(`calendly not configured: ${cal.status}`);
  const ghl = await http(recon.url, 'PUT', `/v1/workspaces/${ws}/providers/ghl`, {
    ...admin,
    body: {
      accessToken: 'fault-ghl-token',
      locationId: FAULT_GHL_LOCATION,
      apiBaseUrl: dead,
      webhookVerification: { ed25519PublicKey: ghlPublicKeyPem },
    },
  });
  if (ghl.status !== 200) throw new Error(`ghl not configured: ${ghl.status}`);
  return { ws, key: String(key.body['key']) };
}

export const FAULT_GHL_LOCATION = 'FaultLoc000000000001';

/** The `/readyz` flag for a dependency, wherever the body puts it (top level or under `checks`). */
export function readyFlag(body: Record<string, unknown>, name: 'database' | 'eventStore'): unknown {
  if (name in body) return body[name];
  return (body['checks'] as Record<string, unknown> | undefined)?.[name];
}

/** The codes of `/readyz`'s `reasons` (strings or `{ code }` objects), top level or under `checks`. */
export function readyReasons(body: Record<string, unknown>): Record<string, unknown>[] {
  const raw = body['reasons'] ?? (body['checks'] as Record<string, unknown> | undefined)?.['reasons'];
  if (!Array.isArray(raw)) return [];
  return raw.map((r: unknown) => (typeof r === 'string' ? { code: r } : (r as Record<string, unknown>)));
}
