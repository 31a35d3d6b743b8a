/**
 * Keeps the metrics documentation in step with /metrics: every recon_* metric the app exposes is
 * described in docs/observability.md, and every metric named by the docs, the Grafana dashboard
 * (docs/grafana/recon.json, valid JSON with its data source as a variable) and the Prometheus rules
 * (docs/prometheus/alerts.yml) exists. The app is built on a database and an event store that refuse
 * connections, which also shows that an outage leaves /metrics answering 200 with the `up` gauges
 * at 0 and the database-read gauges left out.
 */
import { readFileSync } from 'node:fs';
import { createPostgresEventStore, type EventStore } from '@recon/eventstore';
import type { WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ReconApp } from '../build-app';
import { ADMIN_TOKEN, SECRET_KEY } from '../testing/test-secrets';

const UNREACHABLE = 'postgres://postgres@127.0.0.1:1/recon_nowhere';
const docs = new URL('../../../../docs/', import.meta.url);
const readDoc = (path: string) => readFileSync(new URL(path, docs), 'utf8');
const METRIC_NAME = /\b(?:recon|process|nodejs)_[a-z0-9_]+\b/g;

let app: ReconApp;
let store: EventStore;
let db: Kysely<WorkspacesDatabase>;
let scrape = '';

/** `# TYPE name kind` lines of the exposition: every metric family, with or without samples. */
function families(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1] ?? '', m[2] ?? '');
  return out;
}

/** A referenced series name → its family (histogram series carry _bucket, _count, _sum). */
function familyOf(name: string, known: Map<string, string>): string | null {
  if (known.has(name)) return name;
  const base = name.replace(/_(bucket|count|sum)$/, '');
  return known.get(base) === 'histogram' || known.get(base) === 'summary' ? base : null;
}

beforeAll(async () => {
  db = new Kysely<WorkspacesDatabase>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: UNREACHABLE, connectionTimeoutMillis: 1_000 }),
    }),
  });
  store = createPostgresEventStore({ connectionString: UNREACHABLE });
  app = await buildApp({ db, store, config: { adminToken: ADMIN_TOKEN, secretKey: SECRET_KEY } });
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  scrape = res.body;
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await db?.destroy();
});

describe('/metrics with the database and the event store down', () => {
  it('answers 200: the up gauges say 0, the labelled gauges read from the database are left out, the others read 0', () => {
    expect(scrape).toMatch(/^recon_database_up 0$/m);
    expect(scrape).toMatch(/^recon_event_store_up 0$/m);
    expect(scrape).toMatch(/^recon_outbox_up 0$/m);
    expect(scrape).toMatch(/^recon_outbox_pending 0$/m);
    expect(scrape).toMatch(/^recon_backfill_leads_total 0$/m);
    expect(scrape).not.toMatch(/^recon_backfill_jobs\{/m);
    expect(scrape).not.toMatch(/^recon_projection_position\{/m);
  });
});

describe('docs/observability.md', () => {
  it('describes every recon_* metric /metrics exposes', () => {
    const page = readDoc('observability.md');
    const exposed = [...families(scrape).keys()].filter((n) => n.startsWith('recon_'));
    expect(exposed.length).toBeGreaterThan(25);
    for (const name of exposed) expect(page, name).toContain(`\`${name}\``);
  });

  it('names no metric that does not exist (observability.md and operations.md)', () => {
    const known = families(scrape);
    for (const file of ['observability.md', 'operations.md']) {
      for (const name of new Set(readDoc(file).match(METRIC_NAME) ?? []))
        expect(familyOf(name, known), `${file}: ${name}`).not.toBeNull();
    }
  });
});

describe('docs/grafana/recon.json', () => {
  interface Target {
    readonly expr?: string;
    readonly datasource?: { readonly uid?: string };
  }
  interface Panel {
    readonly type: string;
    readonly title: string;
    readonly datasource?: { readonly uid?: string };
    readonly targets?: readonly Target[];
  }
  const dashboard = JSON.parse(readDoc('grafana/recon.json')) as {
    title: string;
    panels: Panel[];
    templating: { list: { name: string; type: string }[] };
  };

  it('is a dashboard whose queries use the templated Prometheus data source', () => {
    expect(dashboard.title).toBe('recon');
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource' }),
    );
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(20);
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('${DS_PROMETHEUS}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.expr, panel.title).toMatch(METRIC_NAME);
    }
  });

  it('queries only metrics /metrics exposes, and every recon_* family is on a panel', () => {
    const known = families(scrape);
    const used = new Set<string>();
    for (const panel of dashboard.panels)
      for (const target of panel.targets ?? [])
        for (const name of target.expr?.match(METRIC_NAME) ?? []) {
          const family = familyOf(name, known);
          expect(family, `${panel.title}: ${name}`).not.toBeNull();
          used.add(family ?? name);
        }
    const unused = [...known.keys()].filter((n) => n.startsWith('recon_') && !used.has(n));
    expect(unused).toEqual([]);
  });
});

describe('docs/prometheus/alerts.yml', () => {
  const rules = readDoc('prometheus/alerts.yml');

  it('has a severity, an expression and a summary for every alert', () => {
    const alerts = rules.match(/^\s+- alert: \S+$/gm) ?? [];
    expect(alerts.length).toBeGreaterThan(15);
    expect(rules.match(/^\s+expr: /gm)).toHaveLength(alerts.length);
    expect(rules.match(/^\s+severity: (critical|warning)$/gm)).toHaveLength(alerts.length);
    expect(rules.match(/^\s+summary: /gm)).toHaveLength(alerts.length);
    expect(rules).toMatch(/^groups:$/m);
  });

  it('uses only metrics /metrics exposes', () => {
    const known = families(scrape);
    for (const name of new Set(rules.match(METRIC_NAME) ?? [])) expect(familyOf(name, known), name).not.toBeNull();
  });

  it('lists the same alerts as docs/observability.md', () => {
    const page = readDoc('observability.md');
    for (const m of rules.matchAll(/- alert: (\S+)/g)) expect(page, m[1]).toContain(`\`${m[1]}\``);
  });
});
