/**
 * `recon secrets rotate` end to end against PostgreSQL: secrets sealed under the old key, the
 * command run with both keys, then every secret opens with the new key alone; a second run
 * re-seals nothing. The output holds counts only, never a secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { leadStreamName } from '@recon/domain';
import { applyLeadUpdate } from '@recon/ingest';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import {
  createEmailHasher,
  createSecretBox,
  ensureStreamKeys,
  findStreamKeys,
  createWorkspace,
  getNotifySecret,
  getProviderCredentials,
  putProviderCredentials,
  putWorkspaceSettings,
} from '@recon/workspaces';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../runtime/open-runtime';
import { resolveConfig } from '../runtime/resolve-config';
import { secretsCommand } from './secrets-command';

const OLD = 'rsk_old-0123456789abcdef-0123456789abcdef';
const NEW = 'rsk_new-0123456789abcdef-fedcba9876543210';
let database: FreshDatabase;
let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-secrets-rotate' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-secrets-rotate-'));
  const resolved = await resolveConfig({ DATABASE_URL: database.url, RECON_DATA_DIR: dataDir, RECON_SECRET_KEY: OLD });
  if (!resolved.ok) throw new Error(resolved.message);
  runtime = await openRuntime(resolved.value, pino({ level: 'silent' }));
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  await database?.drop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

async function rotate(
  env: Record<string, string>,
  sub = 'rotate',
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await secretsCommand([sub], {
    env: { DATABASE_URL: database.url, RECON_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

describe('recon secrets rotate', () => {
  it('re-seals under the new key what the old key sealed; the new key alone then reads everything; a second run re-seals 0', async () => {
    const old = createSecretBox(OLD);
    const now = new Date();
    const ws = await createWorkspace(runtime.db, { name: 'Rotate', now });
    await putProviderCredentials(runtime.db, old, {
      workspaceId: ws.id,
      provider: 'ghl',
      publicConfig: {},
      secret: { privateToken: 'pit-rotate-secret' },
      now,
    });
    await putWorkspaceSettings(runtime.db, old, {
      workspaceId: ws.id,
      settings: { notifyUrl: 'https://hooks.example.com/recon', notifySecret: 'notify-rotate-secret' },
      now,
    });
    const streamKey = (await ensureStreamKeys(runtime.db, old, [`lead-${ws.id}-rotate`])).keys.get(
      `lead-${ws.id}-rotate`,
    );
    const newOnly = createSecretBox(NEW);
    expect((await getProviderCredentials(runtime.db, newOnly, ws.id, 'ghl')).ok).toBe(false);
    expect((await findStreamKeys(runtime.db, newOnly, [`lead-${ws.id}-rotate`])).unreadable).toHaveLength(1);

    const first = await rotate({ RECON_SECRET_KEY: NEW, RECON_SECRET_KEY_PREVIOUS: OLD });
    expect(first).toEqual({
      code: 0,
      out:
        'provider credentials: 1 re-sealed, 0 already current, 0 unreadable\n' +
        'notify secrets: 1 re-sealed, 0 already current, 0 unreadable\n' +
        'stream keys: 1 re-sealed, 0 already current, 0 unreadable\n' +
        'total: 3 re-sealed, 0 already current, 0 unreadable\n',
      err: '',
    });
    expect(await getProviderCredentials(runtime.db, newOnly, ws.id, 'ghl')).toMatchObject({
      ok: true,
      value: { secret: { privateToken: 'pit-rotate-secret' } },
    });
    expect(await getNotifySecret(runtime.db, newOnly, ws.id)).toBe('notify-rotate-secret');
    // the data key itself is unchanged (what it sealed stays readable), only its wrapping is new
    expect(
      (await findStreamKeys(runtime.db, newOnly, [`lead-${ws.id}-rotate`])).keys.get(`lead-${ws.id}-rotate`),
    ).toEqual(streamKey);

    const second = await rotate({ RECON_SECRET_KEY: NEW, RECON_SECRET_KEY_PREVIOUS: OLD });
    expect(second.code).toBe(0);
    expect(second.out).toContain('total: 0 re-sealed, 3 already current, 0 unreadable\n');
    // the previous key can go now
    const without = await rotate({ RECON_SECRET_KEY: NEW });
    expect(without.out).toContain('total: 0 re-sealed, 3 already current, 0 unreadable\n');
    expect(without.err).toContain('RECON_SECRET_KEY_PREVIOUS is not set');
    for (const r of [first, second, without]) expect(r.out + r.err).not.toContain('rotate-secret');
  });

  it('a secret under neither key is counted unreadable, left as it was, and exits 1; bad arguments exit 2', async () => {
    const ws = await createWorkspace(runtime.db, { name: 'Lost key', now: new Date() });
    await putProviderCredentials(runtime.db, createSecretBox('rsk_lost-0123456789abcdef-0123456789abcdef'), {
      workspaceId: ws.id,
      provider: 'calendly',
      publicConfig: {},
      secret: { accessToken: 'lost' },
      now: new Date(),
    });
    const r = await rotate({ RECON_SECRET_KEY: NEW, RECON_SECRET_KEY_PREVIOUS: OLD });
    expect(r.code).toBe(1);
    expect(r.out).toContain('total: 0 re-sealed, 3 already current, 1 unreadable\n');
    expect((await rotate({ RECON_SECRET_KEY: NEW })).code).toBe(1);
    let err = '';
    const bad = await secretsCommand(['spin'], { env: {}, out: () => undefined, err: (t) => (err += t) });
    expect(bad).toBe(2);
    expect(err).toContain('recon secrets rotate');
  });
});

describe('recon secrets rehash-emails', () => {
  it('re-keys each lead with an email under the new key (one LeadContactChanged); a second run appends nothing; leads without an email are skipped', async () => {
    const ws = await createWorkspace(runtime.db, { name: 'Rehash', now: new Date() });
    const feed = { db: runtime.db, store: runtime.store, hashEmail: createEmailHasher(OLD), clock: () => new Date() };
    const put = (leadId: string, input: Parameters<typeof applyLeadUpdate>[2]) =>
      applyLeadUpdate(feed, { workspaceId: ws.id, leadId }, input);
    expect((await put('lead-a', { email: 'Ada@Example.com', alternateEmails: ['ada.l@example.org'] })).ok).toBe(true);
    expect((await put('lead-b', { email: 'bob@example.com' })).ok).toBe(true);
    expect((await put('lead-c', { ghlContactId: 'c-1' })).ok).toBe(true); // no email: nothing to re-key

    // The leads' stream keys are sealed under the old key: without it nothing can be read or
    // sealed, and the run says so instead of treating the leads as erased.
    const withoutPrevious = await rotate({ RECON_SECRET_KEY: NEW }, 'rehash-emails');
    expect(withoutPrevious.code).toBe(1);
    expect(withoutPrevious.out).toContain('0 re-hashed');
    expect(await runtime.store.readStream(leadStreamName(ws.id, 'lead-a'))).toHaveLength(1);

    const first = await rotate({ RECON_SECRET_KEY: NEW, RECON_SECRET_KEY_PREVIOUS: OLD }, 'rehash-emails');
    expect(first.code).toBe(0);
    // leads of the other tests' workspaces hold no email
    expect(first.out).toBe('leads: 2 re-hashed, 0 already current, 0 failed\n');
    expect(first.out + first.err).not.toContain('example');

    const hashNew = createEmailHasher(NEW);
    const events = await runtime.store.readStream(leadStreamName(ws.id, 'lead-a'));
    expect(events.map((e) => e.type)).toEqual(['LeadRegistered', 'LeadContactChanged']);
    expect(events[1]?.data).toMatchObject({
      emailHash: hashNew(ws.id, 'ada@example.com'),
      alternateEmailHashes: [hashNew(ws.id, 'ada.l@example.org')],
    });

    const second = await rotate({ RECON_SECRET_KEY: NEW, RECON_SECRET_KEY_PREVIOUS: OLD }, 'rehash-emails');
    expect(second.out).toBe('leads: 0 re-hashed, 2 already current, 0 failed\n');
    expect(await runtime.store.readStream(leadStreamName(ws.id, 'lead-a'))).toHaveLength(2);
  });
});
