/**
 * `recon keys create|list|revoke` against a fresh PostgreSQL (DATABASE_URL), in-process: the new
 * key is printed once and signs in; listings never show it nor its hash; revoke (twice is fine)
 * stops it; unknown workspace or key exit 1; usage errors exit 2.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { findApiKey, hashApiKey, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from './admin-test-io';
import { keysCommand } from './keys-command';
import { workspacesCommand } from './workspaces-command';

let database: FreshDatabase;
let db: Kysely<WorkspacesDatabase>;
let dataDir: string;
let env: Record<string, string>;
let workspaceId: string;

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-keys-command' });
  db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-keys-command-'));
  env = { DATABASE_URL: database.url, RECON_DATA_DIR: dataDir };
  const created = await runAdmin(workspacesCommand, ['create', 'Keys', '--json'], env);
  workspaceId = (JSON.parse(created.out) as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await database?.drop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('recon keys', () => {
  it('creates a key (shown once, it signs in), lists keys without hashes, revokes (twice is fine)', async () => {
    const json = await runAdmin(keysCommand, ['create', workspaceId, '--label', 'CRM sync', '--json'], env);
    expect(json.code).toBe(0);
    const made = JSON.parse(json.out) as Record<string, unknown>;
    expect(Object.keys(made).sort()).toEqual(['createdAt', 'id', 'key', 'label', 'revokedAt', 'workspaceId']);
    expect(made).toMatchObject({ workspaceId, label: 'CRM sync', revokedAt: null });
    const key = String(made['key']);
    const id = String(made['id']);
    expect(await findApiKey(db, key)).toEqual({ id, workspaceId });

    const human = await runAdmin(keysCommand, ['create', workspaceId], env);
    expect(human.code).toBe(0);
    const [headline, secret] = human.out.trimEnd().split('\n');
    expect(headline).toMatch(
      new RegExp(`^key key_[0-9a-f]{16} created for workspace ${workspaceId} \\(label "cli"\\):$`),
    );
    expect(secret).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(human.err).toContain('only time the key is shown');
    const secondId = /key (key_[0-9a-f]+) created/.exec(human.out)?.[1] ?? '';

    const listed = await runAdmin(keysCommand, ['list', workspaceId, '--json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual({
      workspaceId,
      keys: [
        { id, workspaceId, label: 'CRM sync', createdAt: made['createdAt'], revokedAt: null },
        { id: secondId, workspaceId, label: 'cli', createdAt: expect.any(String), revokedAt: null },
      ],
    });
    const table = await runAdmin(keysCommand, ['list', workspaceId], env);
    expect(table.out).toMatch(new RegExp(`^${id}\\s+active\\s+\\S+\\s+-\\s+CRM sync$`, 'm'));
    for (const r of [listed, table]) {
      expect(r.out).not.toContain(key);
      expect(r.out).not.toContain(hashApiKey(key));
      expect(r.out).not.toContain(secret ?? 'no secret');
    }

    const revoked = await runAdmin(keysCommand, ['revoke', id, '--json'], env);
    expect(revoked.code).toBe(0);
    const after = JSON.parse(revoked.out) as { id: string; revokedAt: string | null };
    expect(after).toMatchObject({ id, workspaceId, revokedAt: expect.any(String) });
    expect(await findApiKey(db, key)).toBeNull();
    const again = await runAdmin(keysCommand, ['revoke', id], env);
    expect(again).toEqual({
      code: 0,
      out: `key ${id} of workspace ${workspaceId} was already revoked at ${after.revokedAt}\n`,
      err: '',
    });
    const second = await runAdmin(keysCommand, ['revoke', secondId], env);
    expect(second.out).toMatch(new RegExp(`^key ${secondId} of workspace ${workspaceId} revoked at \\S+\\n$`));
    const table2 = await runAdmin(keysCommand, ['list', workspaceId], env);
    expect(table2.out).toMatch(new RegExp(`^${id}\\s+revoked\\s+\\S+\\s+${after.revokedAt}\\s+CRM sync$`, 'm'));
  });

  it('an unknown workspace or key exits 1 with one line; bad arguments exit 2', async () => {
    for (const args of [
      ['create', 'ws_nope'],
      ['list', 'ws_nope', '--json'],
      ['revoke', 'key_nope'],
    ]) {
      const r = await runAdmin(keysCommand, args, env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^recon: no (workspace ws_nope|API key key_nope)\.\n$/);
    }
    for (const args of [
      [],
      ['create'],
      ['list'],
      ['revoke'],
      ['rotate', 'x'],
      ['list', workspaceId, 'extra'],
      ['list', workspaceId, '--label', 'x'],
      ['create', workspaceId, '--label', ' '],
      ['create', workspaceId, '--label'],
      ['revoke', 'x', '--force'],
    ]) {
      const r = await runAdmin(keysCommand, args, env);
      expect(r, args.join(' ')).toEqual({ code: 2, out: '', err: expect.stringContaining('Usage: recon keys') });
    }
  });
});
