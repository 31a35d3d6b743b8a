#!/usr/bin/env node
/**
 * The production build, checked the way the Docker image runs it, without Docker: build, deploy
 * @recon/cli with production dependencies to a temp folder (scripts/deploy-production.sh), start
 * `node <folder>/dist/main.js start` from there (cwd outside the workspace, no NODE_OPTIONS), and
 * drive it over HTTP: probes, admin API, a lead written and read back, /docs, /metrics, the
 * operator page and every asset it links, one CLI command from the deployed folder; then SIGTERM
 * and exit code 0. Any failed step exits non-zero, naming it.
 *
 * PostgreSQL: with DATABASE_URL, a fresh database on that server (dropped afterwards); without it,
 * recon's own embedded PostgreSQL in the temp data directory (what `recon start` does then).
 * Usage: node scripts/smoke-production.mjs   (pnpm smoke:prod; CI runs it from .ci/run)
 * KEEP_SMOKE_DIR=1 keeps the temp folder (deployed app, data dir, recon's log) for a look.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const work = mkdtempSync(path.join(tmpdir(), 'recon-smoke-'));
const deployDir = path.join(work, 'recon');
const dataDir = path.join(work, 'data');
const secrets = {
  RECON_ADMIN_TOKEN: randomBytes(24).toString('hex'),
  RECON_SECRET_KEY: randomBytes(32).toString('hex'),
  CRON_SECRET: randomBytes(16).toString('hex'),
  RECON_METRICS_TOKEN: randomBytes(16).toString('hex'),
};

let currentStep = 'setup';
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
function step(name) {
  currentStep = name;
  console.log(`smoke: ${name} (${elapsed()})`);
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh database on DATABASE_URL's server, or null for the embedded PostgreSQL. */
async function createDatabase() {
  const base = process.env.DATABASE_URL;
  if (base === undefined || base === '') return null;
  const name = `recon_smoke_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), base };
}

async function dropDatabase(database) {
  const admin = new pg.Client({ connectionString: database.base });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** `node <deployed>/dist/main.js <args>`: only the variables recon reads, none of the workspace's. */
function reconEnv(extra) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? work, ...extra };
}

function startRecon(env) {
  const lines = [];
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(deployDir, 'dist/main.js'), 'start'], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => lines.push(...chunk.split('\n').filter((l) => l.length > 0)));
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, exited };
}

async function request(url, { method = 'GET', token, body } = {}) {
  const headers = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000), // a hung request fails the step instead of CI
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, type: response.headers.get('content-type') ?? '', text, json };
}

async function waitFor(what, recon, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exit = await Promise.race([recon.exited, new Promise((resolve) => setTimeout(() => resolve(null), 250))]);
    if (exit !== null)
      throw new Error(`recon exited (code ${exit.code}, signal ${exit.signal}) while waiting for ${what}`);
    const value = await probe().catch(() => null);
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
  }
}

let recon = null;
let database = null;
let failed = false;
try {
  step('build and deploy @recon/cli --prod');
  execFileSync('bash', [path.join(root, 'scripts/deploy-production.sh'), deployDir], { stdio: 'inherit', cwd: root });
  const store = readdirSync(path.join(deployDir, 'node_modules/.pnpm'));
  for (const tool of ['tsx', 'vitest', 'typescript', 'esbuild', '@recon+testkit'])
    check(!store.some((entry) => entry.startsWith(`${tool}@`)), `${tool} is in the deployed node_modules`);
  check(!existsSync(path.join(deployDir, 'src')), 'the deployed folder holds TypeScript source (src/)');

  step('start recon from the deployed folder');
  database = await createDatabase();
  if (database === null) chmodSync(work, 0o711); // as root, the embedded cluster's `postgres` user must traverse it
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = reconEnv({
    ...(database !== null ? { DATABASE_URL: database.url } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    RECON_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...secrets,
  });
  recon = startRecon(env);
  await waitFor('GET /healthz 200', recon, async () => (await request(`${url}/healthz`)).status === 200, 90_000);
  await waitFor('GET /readyz 200', recon, async () => (await request(`${url}/readyz`)).status === 200, 30_000);

  step('admin API: a workspace and an API key');
  check(
    (await request(`${url}/v1/workspaces`, { method: 'POST', body: { name: 'smoke' } })).status === 401,
    'POST /v1/workspaces without a token is not 401',
  );
  const ws = await request(`${url}/v1/workspaces`, {
    method: 'POST',
    token: secrets.RECON_ADMIN_TOKEN,
    body: { name: 'smoke' },
  });
  check(ws.status === 201 && typeof ws.json?.id === 'string', `POST /v1/workspaces: ${ws.status} ${ws.text}`);
  const wsId = ws.json.id;
  const key = await request(`${url}/v1/workspaces/${wsId}/api-keys`, {
    method: 'POST',
    token: secrets.RECON_ADMIN_TOKEN,
    body: { label: 'smoke' },
  });
  check(key.status === 201 && typeof key.json?.key === 'string', `POST api-keys: ${key.status} ${key.text}`);
  const apiKey = key.json.key;

  step('lead API: PUT a lead, GET it back');
  const lead = {
    email: 'smoke.lead@example.com',
    name: 'Smoke Lead',
    sentiment: { label: 'Meeting Booked', classifiedAt: '2026-11-20T10:00:00.000Z' },
  };
  const leadUrl = `${url}/v1/workspaces/${wsId}/leads/smoke-1`;
  const put = await request(leadUrl, { method: 'PUT', token: apiKey, body: lead });
  check(put.status === 200 || put.status === 201, `PUT lead: ${put.status} ${put.text}`);
  const read = await waitFor(
    'GET lead 200 (projections caught up)',
    recon,
    async () => {
      const r = await request(leadUrl, { token: apiKey });
      return r.status === 200 ? r : null;
    },
    15_000,
  );
  check(read.json?.leadId === 'smoke-1', `GET lead: ${read.text}`);
  check(
    (await request(`${url}/v1/workspaces/${wsId}/leads/nobody`, { token: apiKey })).status === 404,
    'GET unknown lead is not 404',
  );

  step('/docs, /openapi.json, /metrics');
  const docs = await request(`${url}/docs`);
  check(docs.status === 200 && docs.type.startsWith('text/html'), `GET /docs: ${docs.status} ${docs.type}`);
  const docsAssets = [...docs.text.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  check(docsAssets.length > 0, '/docs links no script or stylesheet');
  for (const asset of docsAssets) {
    const r = await request(`${url}/docs/${asset.replace(/^docs\//, '')}`);
    check(r.status === 200 && r.text.length > 0, `GET /docs/${asset}: ${r.status}`);
  }
  const openapi = await request(`${url}/openapi.json`);
  check(
    openapi.status === 200 && Object.keys(openapi.json?.paths ?? {}).length > 0,
    `GET /openapi.json: ${openapi.status}`,
  );
  check((await request(`${url}/metrics`)).status === 401, 'GET /metrics without its token is not 401');
  const metrics = await request(`${url}/metrics`, { token: secrets.RECON_METRICS_TOKEN });
  check(metrics.status === 200 && metrics.text.includes('recon_'), `GET /metrics: ${metrics.status}`);

  step('operator page and its assets');
  const page = await request(`${url}/`);
  check(page.status === 200 && page.type.startsWith('text/html'), `GET /: ${page.status} ${page.type}`);
  // Every file the page links, and every ES module those import (`from './x.js'`), transitively.
  const assets = [...page.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  check(assets.length > 0, 'the operator page links no /assets/');
  const fetched = new Set();
  while (assets.length > 0) {
    const asset = assets.shift();
    if (fetched.has(asset)) continue;
    fetched.add(asset);
    const r = await request(`${url}${asset}`);
    check(r.status === 200 && r.text.length > 0, `GET ${asset}: ${r.status}`);
    if (!asset.endsWith('.js')) continue;
    const dir = asset.slice(0, asset.lastIndexOf('/') + 1);
    for (const m of r.text.matchAll(/(?:from|import)\s*['"]\.\/([^'"]+)['"]/g)) assets.push(`${dir}${m[1]}`);
  }
  console.log(`smoke: operator page: ${fetched.size} assets served`);

  step('the CLI from the deployed folder');
  if (database !== null) {
    const out = execFileSync(process.execPath, [path.join(deployDir, 'dist/main.js'), 'workspaces', 'list', '--json'], {
      cwd: work,
      env: reconEnv({ DATABASE_URL: database.url, RECON_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...secrets }),
      encoding: 'utf8',
    });
    check(
      JSON.parse(out).workspaces?.some((w) => w.id === wsId),
      `recon workspaces list --json: ${out}`,
    );
  } else {
    execFileSync(process.execPath, [path.join(deployDir, 'dist/main.js'), '--help'], { cwd: work, stdio: 'ignore' });
  }

  step('SIGTERM: graceful stop, exit code 0');
  recon.child.kill('SIGTERM');
  const exit = await Promise.race([recon.exited, new Promise((resolve) => setTimeout(() => resolve(null), 20_000))]);
  check(exit !== null, 'recon did not exit within 20 s of SIGTERM');
  check(exit.code === 0, `recon exited with code ${exit.code} (signal ${exit.signal})`);
  check(
    recon.lines.some((l) => l.includes('"recon stopped"')),
    'no "recon stopped" log line',
  );
  check(!recon.lines.some((l) => l.includes('smoke.lead@example.com')), "recon's log holds the lead's email");
  console.log(
    `smoke: production build OK in ${elapsed()} (deployed folder ${execFileSync('du', ['-sh', deployDir], { encoding: 'utf8' }).split('\t')[0]})`,
  );
} catch (error) {
  failed = true;
  console.error(
    `smoke FAILED at "${currentStep}" after ${elapsed()}: ${error instanceof Error ? error.message : error}`,
  );
  if (recon !== null) console.error(`recon's last output:\n${recon.lines.slice(-20).join('\n')}`);
} finally {
  if (recon !== null && recon.child.exitCode === null && recon.child.signalCode === null) {
    recon.child.kill('SIGKILL');
    await recon.exited;
  }
  if (recon !== null) writeFileSync(path.join(work, 'recon.log'), `${recon.lines.join('\n')}\n`);
  if (database !== null)
    await dropDatabase(database).catch((e) => console.error(`smoke: could not drop ${database.name}: ${e}`));
  if (process.env.KEEP_SMOKE_DIR === '1') console.log(`smoke: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
