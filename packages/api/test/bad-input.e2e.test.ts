/**
 * Random bodies, content types, ids and headers through every route: never a 5xx, always the
 * uniform error body on 4xx, and a 4xx never appends anything (the store's head does not move).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRegistry } from '../src/index';
import { CALENDLY_FIXTURE_KEY, signCalendly } from './testing/fixtures';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';
import { request } from './testing/http';

let t: TestApp;
let ws: string;
let operator: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp({ name: 'bad-input', listen: true });
  const created = await createWorkspaceWithKey(t.baseUrl, 'fuzz');
  ws = created.ws;
  operator = created.auth;
  await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/calendly`, {
    headers: admin,
    body: {
      accessToken: 'tok',
      organizationUri: 'https://api.calendly.com/organizations/x',
      webhookSigningKey: CALENDLY_FIXTURE_KEY,
    },
  });
});
afterAll(async () => {
  await t?.close();
});

const idArb = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
  fc.constantFrom('..', '%', 'a/b', 'x'.repeat(5000), '\u0000', 'lead-1'),
);

const bodyArb = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{',
    '{"leads":',
    '[]',
    'null',
    '{"leads":[]}',
    '{"email":5}',
    '{"name":"x","sentiment":{"label":"","classifiedAt":"nope"}}',
  ),
  fc.record({ leads: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }) }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        email: fc.string(),
        alternateEmails: fc.array(fc.string(), { maxLength: 3 }),
        ghlContactId: fc.string(),
        sentiment: fc.record({ label: fc.string(), classifiedAt: fc.string() }),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);

const contentTypeArb = fc.constantFrom(
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-8',
  '',
);

describe('bad input never yields a 5xx or a partial append', () => {
  it('random requests to every route', async () => {
    // /readyz answers 503 by contract while no projection runs here (it takes no input anyway).
    const routes = routeRegistry(t.app).filter((r) => r.url !== '/readyz');
    const head = () => t.store.headPosition();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        idArb,
        bodyArb,
        contentTypeArb,
        fc.constantFrom('admin', 'operator', 'none', 'signed'),
        async (route, id, body, contentType, who) => {
          const path = route.url
            .replace('::', '\u0000')
            .replace(/:ws\b/, who === 'none' ? encodeURIComponent(id) : ws)
            .replace(/:[A-Za-z]+/g, encodeURIComponent(id))
            .replace('\u0000', ':');
          const headers: Record<string, string> = {};
          if (contentType !== '') headers['content-type'] = contentType;
          if (who === 'admin') Object.assign(headers, admin);
          if (who === 'operator') Object.assign(headers, operator);
          if (who === 'signed')
            headers['calendly-webhook-signature'] = signCalendly(
              body,
              CALENDLY_FIXTURE_KEY,
              Math.floor(Date.now() / 1000),
            );
          const before = await head();
          const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
          const res = await fetch(`${t.baseUrl}${path}`, {
            method: route.method,
            headers,
            ...(hasBody ? { body } : {}),
          });
          const text = await res.text();
          expect(res.status, `${route.method} ${route.url} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400) {
            const parsed = JSON.parse(text) as { error: { code: string; message: string } };
            expect(parsed.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
            expect(await head()).toBe(before);
          }
        },
      ),
      { numRuns: 400, seed: 20261125 },
    );
  });

  it('validation errors list paths and codes, never the input values', async () => {
    const secretish = 'leaky-value-4711@example.com';
    const res = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/l1`, {
      headers: operator,
      body: { email: 12, name: { x: secretish }, alternateEmails: [secretish, 5] },
    });
    expect(res.status).toBe(400);
    expect(res.body['error']).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ path: 'email' })]),
    });
    expect(JSON.stringify(res.body)).not.toContain('leaky-value');
    expect(t.logLines.join('\n')).not.toContain('leaky-value');
  });

  it('text PostgreSQL cannot store (NUL, lone surrogates) → 400, never an outage', async () => {
    for (const body of [
      { email: 'a\u0000@example.com' },
      { ghlContactId: 'x\ud800' },
      { name: 'ok', sentiment: { label: '\u0000', classifiedAt: '2026-01-01T00:00:00Z' } },
    ]) {
      const res = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/l-nul`, { headers: operator, body });
      expect(res.status).toBe(400);
    }
    const raw = '{"event":"invitee.created","payload":{"uri":"\\u0000"}}';
    const res = await request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
      raw,
      headers: { 'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(Date.now() / 1000)) },
    });
    expect(res.status).toBe(400);
    expect((await request(t.baseUrl, 'POST', '/webhooks/calendly/%00', { raw: '{}' })).status).toBe(400);
    expect((await request(t.baseUrl, 'GET', '/v1/workspaces/%00/settings', { headers: admin })).status).toBeLessThan(
      500,
    );
  });

  it('oversize bodies → 413 BODY_TOO_LARGE', async () => {
    const big = JSON.stringify({
      leads: Array.from({ length: 20_000 }, (_, i) => ({ leadId: `lead-${i}`, name: 'x'.repeat(40) })),
    });
    const res = await request(t.baseUrl, 'POST', `/v1/workspaces/${ws}/leads:batch`, { headers: operator, raw: big });
    expect(res.status).toBe(413);
    expect((res.body['error'] as { code: string }).code).toBe('BODY_TOO_LARGE');
  });
});
