/**
 * `recon workspaces create|list` against a fresh PostgreSQL (DATABASE_URL), in-process: human and
 * `--json` output, usage errors (exit 2, nothing opened), and the refusal to touch an embedded
 * database a running recon owns (exit 1, one line naming the data directory).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from './admin-test-io';
import { keysCommand } from './keys-command';
import { statusCommand } from './status-command';
import { workspacesCommand } from './workspaces-command';

let database: FreshDatabase;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-workspaces-command' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-workspaces-command-'));
  env = { DATABASE_URL: database.url, RECON_DATA_DIR: dataDir };
}, 60_000);

afterAll(async () => {
  await database?.drop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('recon workspaces', () => {
  it('creates workspaces and lists them, as JSON and as a table', async () => {
    const created = await runAdmin(workspacesCommand, ['create', 'Acme Sales', '--json'], env);
    expect(created.code).toBe(0);
    expect(created.err).toBe('');
    const ws = JSON.parse(created.out) as { id: string; name: string; createdAt: string };
    expect(ws).toEqual({
      id: expect.stringMatching(/^ws_[0-9a-f]{20}$/),
      name: 'Acme Sales',
      createdAt: expect.any(String),
    });

    const human = await runAdmin(workspacesCommand, ['create', 'Beta'], env);
    expect(human.code).toBe(0);
    const betaId = /workspace (ws_[0-9a-f]+) created/.exec(human.out)?.[1];
    expect(betaId).toBeDefined();
    expect(human.out).toMatch(/^id\s+created\s+name$/m);

    const listed = await runAdmin(workspacesCommand, ['list', '--json'], env);
    expect(listed.code).toBe(0);
    const body = JSON.parse(listed.out) as { workspaces: { id: string; name: string }[] };
    expect(body.workspaces.map((w) => [w.id, w.name])).toEqual([
      [ws.id, 'Acme Sales'],
      [betaId, 'Beta'],
    ]);

    const table = await runAdmin(workspacesCommand, ['list'], env);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${ws.id}\\s+\\S+\\s+Acme Sales$`));
    expect(lines[2]).toMatch(new RegExp(`^${betaId}\\s+\\S+\\s+Beta$`));
  });

  it('answers usage errors with exit 2 and the usage line', async () => {
    for (const args of [
      [],
      ['create'],
      ['create', '  '],
      ['create', 'a', 'b'],
      ['list', 'x'],
      ['drop'],
      ['list', '--yaml'],
    ]) {
      const r = await runAdmin(workspacesCommand, args, env);
      expect(r, args.join(' ')).toEqual({ code: 2, out: '', err: expect.stringContaining('Usage: recon workspaces') });
    }
  });

  it('refuses an embedded database owned by a running recon: exit 1, one line naming the data dir', async () => {
    const owned = await mkdtemp(path.join(tmpdir(), 'recon-owned-'));
    try {
      await mkdir(path.join(owned, 'postgres'), { recursive: true });
      // A postmaster.pid naming a live process (this one) is what a running recon's cluster leaves.
      await writeFile(path.join(owned, 'postgres', 'postmaster.pid'), `${process.pid}\n${owned}/postgres\n`);
      const noDatabaseUrl = { RECON_DATA_DIR: owned };
      for (const [command, args] of [
        [workspacesCommand, ['list']],
        [workspacesCommand, ['create', 'X', '--json']],
        [keysCommand, ['list', 'ws_x']],
        [statusCommand, ['--json']],
      ] as const) {
        const r = await runAdmin(command, args, noDatabaseUrl);
        expect(r.code).toBe(1);
        expect(r.out).toBe('');
        expect(r.err.trimEnd().split('\n')).toHaveLength(1);
        expect(r.err).toContain(
          `embedded database in ${owned} is in use by a running recon (PostgreSQL pid ${process.pid})`,
        );
      }
    } finally {
      await rm(owned, { recursive: true, force: true });
    }
  });
});
