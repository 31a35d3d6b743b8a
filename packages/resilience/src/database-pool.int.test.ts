import { freshDatabase, waitFor, type FreshDatabase } from '@recon/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './connection-failure';
import { createDatabasePool } from './database-pool';
import { createRateLimitedLog } from './rate-limited-log';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase({ name: 'resilience-pool' });
});
afterAll(async () => {
  await db.drop();
});

function recordingLog() {
  const lines: Record<string, unknown>[] = [];
  const push = (obj: object) => lines.push(obj as Record<string, unknown>);
  return { lines, log: createRateLimitedLog({ info: push, warn: push, error: push }) };
}

describe('createDatabasePool', () => {
  it('survives the server ending a checked-out client (no unhandled error), and the pool keeps working', async () => {
    const { lines, log } = recordingLog();
    const pool = createDatabasePool({
      connectionString: db.url,
      max: 2,
      failures: log,
      applicationName: 'recon-pool-test',
    });
    try {
      const held = await pool.connect();
      const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]?.pid;
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      // Without the listener on checked-out clients this 'error' event ends the test process.
      await waitFor(() => lines.find((l) => l['failure'] === 'DATABASE_CONNECTION_LOST'), {
        timeoutMs: 5_000,
        description: 'connection-lost report',
      });
      const failed = await held.query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(failed)).toBe(true);
      held.release(failed as Error);
      const again = await pool.query<{ ok: number }>('SELECT 1 AS ok');
      expect(again.rows[0]?.ok).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('applies the statement timeout, keep-alive and idle-in-transaction settings to its sessions', async () => {
    const pool = createDatabasePool({
      connectionString: db.url,
      max: 1,
      settings: { statementTimeoutMs: 150, idleInTransactionTimeoutMs: 4_000, keepAliveMs: 6_000 },
    });
    try {
      const slow = await pool.query('SELECT pg_sleep(2)').then(
        () => null,
        (e: unknown) => e,
      );
      expect((slow as { code?: string }).code).toBe('57014');
      expect(isDatabaseUnavailable(slow)).toBe(true);
      const { rows } = await pool.query<{ st: string; iit: string; ka: string }>(
        "SELECT current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS iit, current_setting('tcp_keepalives_idle') AS ka",
      );
      expect(rows[0]).toEqual({ st: '150ms', iit: '4s', ka: expect.stringMatching(/^(6|0)$/) });
    } finally {
      await pool.end();
    }
  });

  it('fails fast with an unavailable error when the database refuses connections', async () => {
    const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await admin.connect();
    const name = new URL(db.url).pathname.slice(1);
    const pool = createDatabasePool({ connectionString: db.url, max: 1, settings: { connectTimeoutMs: 2_000 } });
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      const refused = await pool.query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(refused)).toBe(true);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
      await pool.end();
    }
    const pool2 = createDatabasePool({ connectionString: db.url, max: 1 });
    await expect(pool2.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    await pool2.end();
  });
});
