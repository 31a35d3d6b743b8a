import { freshDatabase, type FreshDatabase, type Schemas } from '@recon/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiKey,
  createEmailHasher,
  createSecretBox,
  createWorkspace,
  eraseLeadContact,
  findApiKey,
  getProviderCredentials,
  getLeadContact,
  getNotifySecret,
  getProviderConfig,
  getWorkspaceSettings,
  migrateWorkspaces,
  putProviderCredentials,
  putLeadContact,
  putWorkspaceSettings,
  revokeApiKey,
  type WorkspacesDatabase,
} from './index';

const SECRET = 'test-secret-key-0123456789abcdef-0123456789';
const now = new Date('2026-11-25T12:00:00.000Z');
let database: FreshDatabase;
let db: Kysely<WorkspacesDatabase>;

const testSchemas: Schemas = { workspaces: ({ db }) => migrateWorkspaces(db) };

beforeAll(async () => {
  database = await freshDatabase({ name: 'workspaces', schemas: testSchemas });
  db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
});
afterAll(async () => {
  await database.drop();
});

describe('workspaces storage', () => {
  it('migrating twice is a no-op', async () => {
    await migrateWorkspaces(db as Kysely<unknown>);
  });

  it('api keys: stored hashed, found while active, gone once revoked', async () => {
    const ws = await createWorkspace(db, { name: 'Acme', now });
    const created = await createApiKey(db, { workspaceId: ws.id, label: 'crm', now });
    const stored = await db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(created.key);
    expect(await findApiKey(db, created.key)).toEqual({ id: created.id, workspaceId: ws.id });
    expect(await revokeApiKey(db, { workspaceId: ws.id, id: created.id, now })).toEqual({ ok: true });
    expect(await findApiKey(db, created.key)).toBeNull();
    expect(await revokeApiKey(db, { workspaceId: 'ws_other', id: created.id, now })).toEqual({
      ok: false,
      code: 'API_KEY_NOT_FOUND',
    });
  });

  it('credentials: sealed at rest, opened for ingest, shown without secrets', async () => {
    const ws = await createWorkspace(db, { name: 'Creds', now });
    const box = createSecretBox(SECRET);
    await putProviderCredentials(db, box, {
      workspaceId: ws.id,
      provider: 'calendly',
      publicConfig: {
        organizationUri: 'https://api.calendly.com/organizations/x',
        apiBaseUrl: 'https://api.calendly.com',
      },
      secret: { accessToken: 'tok-SECRET-1', webhookSigningKey: 'sign-SECRET-2' },
      now,
    });
    const raw = await db
      .selectFrom('provider_credentials')
      .selectAll()
      .where('workspace_id', '=', ws.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toMatch(/SECRET/);
    const view = await getProviderConfig(db, { workspaceId: ws.id, provider: 'calendly' });
    expect(JSON.stringify(view)).not.toMatch(/SECRET/);
    expect(view?.config['apiBaseUrl']).toBe('https://api.calendly.com');
    const opened = await getProviderCredentials(db, box, ws.id, 'calendly');
    expect(opened.ok && opened.value.secret['webhookSigningKey']).toBe('sign-SECRET-2');
    expect(opened.ok && opened.value.publicConfig['organizationUri']).toBe('https://api.calendly.com/organizations/x');
    expect(await getProviderCredentials(db, box, ws.id, 'ghl')).toEqual({ ok: false, code: 'PROVIDER_NOT_CONFIGURED' });
    const wrongKey = await getProviderCredentials(
      db,
      createSecretBox('another-secret-key-0123456789abcdef'),
      ws.id,
      'calendly',
    );
    expect(wrongKey).toEqual({ ok: false, code: 'SECRET_UNREADABLE' });
    // Any registered provider is stored the same way: no per-provider column or CHECK constraint.
    await putProviderCredentials(db, box, {
      workspaceId: ws.id,
      provider: 'calcom',
      publicConfig: { apiBaseUrl: 'https://api.cal.com' },
      secret: { apiKey: 'cal-SECRET-3' },
      now,
    });
    const calcom = await getProviderCredentials(db, box, ws.id, 'calcom');
    expect(calcom.ok && calcom.value.secret['apiKey']).toBe('cal-SECRET-3');
    expect(await getProviderConfig(db, { workspaceId: ws.id, provider: 'calcom' })).toMatchObject({
      provider: 'calcom',
      config: { apiBaseUrl: 'https://api.cal.com' },
    });
  });

  it('settings: defaults, then PUT replaces the document', async () => {
    const ws = await createWorkspace(db, { name: 'Settings', now });
    const box = createSecretBox(SECRET);
    expect((await getWorkspaceSettings(db, ws.id)).bookedSentimentLabels).toEqual(['Meeting Booked']);
    const put = await putWorkspaceSettings(db, box, {
      workspaceId: ws.id,
      settings: { autoCorrectSentiment: false, notifySecret: 'notify-secret-0123456789' },
      now,
    });
    expect(put).toMatchObject({
      autoCorrectSentiment: false,
      hasNotifySecret: true,
      bookedSentimentLabels: ['Meeting Booked'],
    });
    expect(await getNotifySecret(db, box, ws.id)).toBe('notify-secret-0123456789');
  });

  it('contacts: stored, then erased', async () => {
    const ws = await createWorkspace(db, { name: 'Contacts', now });
    const lead = { workspaceId: ws.id, leadId: 'lead-ü-1' };
    await putLeadContact(db, {
      ...lead,
      contact: { email: 'a@example.com', alternateEmails: ['b@example.com'], name: 'A' },
      now,
    });
    expect(await getLeadContact(db, lead)).toEqual({
      email: 'a@example.com',
      alternateEmails: ['b@example.com'],
      name: 'A',
    });
    expect(await eraseLeadContact(db, lead)).toBe(true);
    expect(await getLeadContact(db, lead)).toBeNull();
    expect(await eraseLeadContact(db, lead)).toBe(false);
  });

  it('email hashes: normalized, keyed per workspace', () => {
    const hash = createEmailHasher(SECRET);
    expect(hash('ws_a', '  Jordan.Lead@Example.com ')).toBe(hash('ws_a', 'jordan.lead@example.com'));
    expect(hash('ws_a', 'jordan.lead@example.com')).not.toBe(hash('ws_b', 'jordan.lead@example.com'));
    expect(hash('ws_a', 'x@example.com')).toMatch(/^[0-9a-f]{64}$/);
  });
});
