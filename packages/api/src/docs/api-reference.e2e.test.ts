/**
 * The API reference over real HTTP, on an app with every route group: GET /docs is an HTML page
 * whose scripts and styles all come from recon (same origin, each answering 200 with its type)
 * under a CSP that allows only 'self' for them; /docs/json and /openapi.json are the same valid
 * OpenAPI 3 document; every documented operation has a summary and examples (openapi-coverage.ts),
 * and every route the app serves is documented unless it is one of the pages.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { createPostgresEventStore, type EventStore } from '@recon/eventstore';
import { postgresServerUrl } from '@recon/testkit';
import type { WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, routeRegistry, type ReconApp } from '../index';
import { ADMIN_TOKEN, SECRET_KEY } from '../testing/test-secrets';
import { DOCS_CSP } from './api-reference';
import { missingDocumentation, openApiPath, type OpenApiDocument } from './openapi-coverage';

let app: ReconApp;
let baseUrl: string;
let pool: pg.Pool;
let store: EventStore;

beforeAll(async () => {
  // Nothing here reads the database: the pool and the store connect on first use only.
  const url = await postgresServerUrl();
  pool = new pg.Pool({ connectionString: url, max: 1 });
  store = createPostgresEventStore({ connectionString: url });
  app = await buildApp({
    db: new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool }) }),
    store,
    config: { adminToken: ADMIN_TOKEN, secretKey: SECRET_KEY },
  });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await pool?.end();
});

/** The src/href of every <script> and <link> element of a page. */
function assetUrls(html: string): string[] {
  const tags = html.match(/<(?:script|link)\b[^>]*>/gi) ?? [];
  return tags.flatMap((tag) => {
    const m = /\b(?:src|href)="([^"]+)"/i.exec(tag);
    return m?.[1] !== undefined ? [m[1]] : [];
  });
}

const TYPES: Record<string, RegExp> = {
  js: /^(?:application|text)\/javascript\b/,
  css: /^text\/css\b/,
  png: /^image\/png$/,
  svg: /^image\/svg\+xml\b/,
};

describe('GET /docs', () => {
  it('serves the interactive reference as HTML with its own strict CSP', async () => {
    const res = await fetch(`${baseUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html\b/);
    const csp = res.headers.get('content-security-policy');
    expect(csp).toBe(DOCS_CSP);
    const directives = new Map(
      (csp ?? '').split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    const html = await res.text();
    expect(html).toContain('<div id="swagger-ui">');
    expect(html).toContain('<title>recon API reference</title>');
    // No inline code: every script has a src, no <style> element, no style attribute.
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) expect(tag).toMatch(/\bsrc="/);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle="/i);
  });

  it('loads every script and stylesheet from recon itself: same origin, 200, the right type', async () => {
    const html = await (await fetch(`${baseUrl}/docs`)).text();
    const urls = assetUrls(html).map((u) => new URL(u, `${baseUrl}/docs`));
    expect(urls.filter((u) => u.pathname.endsWith('.js')).length).toBeGreaterThanOrEqual(3);
    expect(urls.filter((u) => u.pathname.endsWith('.css')).length).toBeGreaterThanOrEqual(1);
    for (const url of urls) {
      expect(url.origin, url.href).toBe(new URL(baseUrl).origin);
      const res = await fetch(url);
      expect(res.status, url.pathname).toBe(200);
      const ext = url.pathname.split('.').pop() ?? '';
      expect(res.headers.get('content-type'), url.pathname).toMatch(TYPES[ext] ?? /^$/);
      expect((await res.arrayBuffer()).byteLength, url.pathname).toBeGreaterThan(0);
    }
    const init = await (await fetch(`${baseUrl}/docs/static/swagger-initializer.js`)).text();
    expect(init).toContain("resolveUrl('./json')"); // the document comes from recon too
    expect(init.replace(/\/\/ .*$/gm, '')).not.toMatch(/https?:\/\//); // comments aside
  });

  it('/docs/json and /openapi.json answer the same valid OpenAPI 3 document', async () => {
    const [a, b] = await Promise.all([fetch(`${baseUrl}/docs/json`), fetch(`${baseUrl}/openapi.json`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(b.headers.get('content-type')).toMatch(/^application\/json\b/);
    const doc = (await a.json()) as OpenApiDocument;
    expect(await b.json()).toEqual(doc);
    expect(doc.openapi).toMatch(/^3\.0\./);
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every operation with a summary and examples of its request body and success answer', async () => {
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenApiDocument;
    expect(missingDocumentation(doc)).toEqual([]);
  });

  it('documents every route the app serves, except the pages and the reference itself', async () => {
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenApiDocument;
    const PAGES = /^\/(?:$|assets\/|docs(?:$|\/)|openapi\.json$)/;
    const undocumented = routeRegistry(app)
      .filter((r) => !PAGES.test(r.url))
      .filter((r) => doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()] === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(undocumented).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(30);
  });
});
