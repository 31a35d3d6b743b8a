import { freshDatabase, type FreshDatabase, type Schemas } from '@recon/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  createWorkspace,
  ensureStreamKeys,
  findStreamKeys,
  getNotifySecret,
  getProviderCredentials,
  migrateWorkspaces,
  putProviderCredentials,
  putWorkspaceSettings,
  resealAllSecrets,
  type WorkspacesDatabase,
} from './index';

const OLD = 'old-secret-key-0123456789abcdef-0123456789';
const NEW = 'new-secret-key-0123456789abcdef-9876543210';
const LOST = 'lost-secret-key-0123456789abcdef-000000000';
const now = new Date('2026-11-30T12:00:00.000Z');
let database: FreshDatabase;
let db: Kysely<WorkspacesDatabase>;

const testSchemas: Schemas = { workspaces: ({ db }) => migrateWorkspaces(db) };

beforeAll(async () => {
  database = await freshDatabase({ name: 'reseal-secrets', schemas: testSchemas });
  db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
});
afterAll(async () => {
  await database.drop();
});

describe('resealAllSecrets', () => {
  it('re-seals what the previous key sealed, counts the rest, and a second run re-seals nothing', async () => {
    const oldBox = createSecretBox(OLD);
    const a = await createWorkspace(db, { name: 'A', now });
    const b = await createWorkspace(db, { name: 'B', now });
    await putProviderCredentials(db, oldBox, {
      workspaceId: a.id,
      provider: 'ghl',
      publicConfig: {},
      secret: { privateToken: 'pit-a' },
      now,
    });
    await putProviderCredentials(db, oldBox, {
      workspaceId: a.id,
      provider: 'calendly',
      publicConfig: {},
      secret: { accessToken: 'cal-a' },
      now,
    });
    await putWorkspaceSettings(db, oldBox, {
      workspaceId: a.id,
      settings: { notifyUrl: 'https://hooks.example.com/recon', notifySecret: 'notify-a-0123456789' },
      now,
    });
    // one already under the new key, one under a key nobody holds any more
    await putProviderCredentials(db, createSecretBox(NEW), {
      workspaceId: b.id,
      provider: 'ghl',
      publicConfig: {},
      secret: { privateToken: 'pit-b' },
      now,
    });
    await putProviderCredentials(db, createSecretBox(LOST), {
      workspaceId: b.id,
      provider: 'calendly',
      publicConfig: {},
      secret: { accessToken: 'cal-b' },
      now,
    });

    // the new key alone cannot open what the old key sealed
    const newOnly = createSecretBox(NEW);
    expect(await getProviderCredentials(db, newOnly, a.id, 'ghl')).toEqual({ ok: false, code: 'SECRET_UNREADABLE' });
    // two stream keys (crypto-shredding) sealed under the old key
    const streams = [`lead-${a.id}-one`, `lead-${a.id}-two`];
    const dataKeys = (await ensureStreamKeys(db, oldBox, streams)).keys;
    expect((await findStreamKeys(db, newOnly, streams)).unreadable).toHaveLength(2);

    const rotating = createSecretBox(NEW, OLD);
    const first = await resealAllSecrets(db, rotating);
    expect(first).toEqual({
      credentials: { resealed: 2, alreadyCurrent: 1, unreadable: 1 },
      notifySecrets: { resealed: 1, alreadyCurrent: 0, unreadable: 0 },
      streamKeys: { resealed: 2, alreadyCurrent: 0, unreadable: 0 },
      total: { resealed: 5, alreadyCurrent: 1, unreadable: 1 },
    });
    // the data keys are the same (what they sealed stays readable), wrapped under the new key
    expect((await findStreamKeys(db, newOnly, streams)).keys).toEqual(dataKeys);

    // readable with the new key alone
    expect(await getProviderCredentials(db, newOnly, a.id, 'ghl')).toMatchObject({
      ok: true,
      value: { secret: { privateToken: 'pit-a' } },
    });
    expect(await getProviderCredentials(db, newOnly, a.id, 'calendly')).toMatchObject({
      ok: true,
      value: { secret: { accessToken: 'cal-a' } },
    });
    expect(await getNotifySecret(db, newOnly, a.id)).toBe('notify-a-0123456789');
    // and no longer with the old key: the old ciphertexts are gone
    expect(await getProviderCredentials(db, oldBox, a.id, 'ghl')).toEqual({ ok: false, code: 'SECRET_UNREADABLE' });

    const second = await resealAllSecrets(db, rotating);
    expect(second.total).toEqual({ resealed: 0, alreadyCurrent: 6, unreadable: 1 });
  });
});
