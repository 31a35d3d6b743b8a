import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDataDir } from './data-dir';
import { resolveSecrets, SECRETS_FILE } from './data-dir-secrets';

let dir: string;

beforeEach(async () => {
  dir = await ensureDataDir(path.join(await mkdtemp(path.join(tmpdir(), 'recon-secrets-')), 'data'));
});
afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

function ok<T>(r: { ok: true; value: T } | { ok: false }): T {
  if (!r.ok) throw new Error('expected ok');
  return r.value;
}

describe('resolveSecrets', () => {
  it('generates every missing secret once, stores them 0600 and reuses them on the next start', async () => {
    const first = ok(await resolveSecrets(dir, {}));
    expect(first.generated).toEqual(['adminToken', 'secretKey', 'cronSecret', 'postgresPassword']);
    expect(first.file).toBe(path.join(dir, SECRETS_FILE));
    expect((await stat(first.file)).mode & 0o777).toBe(0o600);
    expect(first.adminToken.length).toBeGreaterThanOrEqual(24);
    expect(first.secretKey.length).toBeGreaterThanOrEqual(32);

    const second = ok(await resolveSecrets(dir, {}));
    expect(second.generated).toEqual([]);
    expect(second.fromFile).toEqual(['adminToken', 'secretKey', 'cronSecret', 'postgresPassword']);
    expect([second.adminToken, second.secretKey, second.cronSecret, second.postgresPassword]).toEqual([
      first.adminToken,
      first.secretKey,
      first.cronSecret,
      first.postgresPassword,
    ]);
  });

  it('takes given secrets from the environment and never writes them to the file', async () => {
    const given = {
      adminToken: 'env-admin-token-0123456789abcdef',
      secretKey: 'env-secret-key-0123456789abcdef-0123456789',
    };
    const r = ok(await resolveSecrets(dir, given));
    expect(r.adminToken).toBe(given.adminToken);
    expect(r.secretKey).toBe(given.secretKey);
    expect(r.generated).toEqual(['cronSecret', 'postgresPassword']);
    const text = await readFile(r.file, 'utf8');
    expect(text).not.toContain(given.adminToken);
    expect(text).not.toContain(given.secretKey);
  });

  it('brings a loosened file back to 0600 and refuses a corrupt one', async () => {
    const first = ok(await resolveSecrets(dir, {}));
    await chmod(first.file, 0o644);
    ok(await resolveSecrets(dir, {}));
    expect((await stat(first.file)).mode & 0o777).toBe(0o600);

    await writeFile(first.file, '{not json');
    const bad = await resolveSecrets(dir, {});
    expect(bad).toEqual({ ok: false, code: 'SECRETS_FILE_INVALID', file: first.file });
  });

  it('keeps the data directory private to its owner (traversable only, when root)', async () => {
    const mode = (await stat(dir)).mode & 0o777;
    expect(process.getuid?.() === 0 ? 0o711 : 0o700).toBe(mode);
  });
});
