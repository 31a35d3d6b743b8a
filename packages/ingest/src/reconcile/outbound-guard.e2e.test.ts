/**
 * SSRF at call time, through the reconciler (check-now's route, and reconcileLead as it runs it): a provider's `apiBaseUrl` whose
 * name resolves to a private address (here through a test resolver) is refused at connect time and
 * no request reaches the local server; a redirect (to the metadata address or anywhere) is not
 * followed; an oversized response is cut. Each outcome is a coded failure, never the raw cause.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lookup } from '@recon/outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileDeps } from './reconcile-deps';
import { reconcileLead } from './reconcile-lead';
import { reconcileRoutes } from './reconcile-routes';
import { bareApp, testSendError } from './testing/bare-app';
import { startHarness, type Harness } from './testing/reconcile-harness';

let h: Harness;
const servers: Server[] = [];

/** A local HTTP server counting the requests it gets. */
async function localServer(
  handle: (path: string, res: ServerResponse) => void,
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handle(req.url ?? '/', res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

/** A resolver under the test's control: every name resolves to 127.0.0.1. */
const resolvedNames: string[] = [];
const toLoopback: Lookup = (hostname, options, callback) => {
  resolvedNames.push(hostname);
  if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

beforeAll(async () => {
  h = await startHarness({ name: 'outbound-guard' });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await h?.close();
});

async function checkGhl(deps: ReconcileDeps, ghlBaseUrl: string, leadId: string) {
  const ws = await h.createWorkspace({ name: leadId, calendly: false, ghlBaseUrl });
  await h.putLead(ws.id, leadId, { ghlContactId: `contact-${leadId}` });
  const r = await reconcileLead(deps, { workspaceId: ws.id, leadId, source: 'manual' });
  if (!r.ok) throw new Error(`reconcile failed: ${r.code}`);
  return r.value.checks;
}

describe('provider calls cannot be pointed inward', () => {
  it('check-now: a name resolving to loopback is refused at connect time — PROVIDER_UNREACHABLE, nothing reaches the server', async () => {
    const local = await localServer((_p, res) => res.end('{}'));
    const port = new URL(local.url).port;
    const details: string[] = [];
    const strict: ReconcileDeps = {
      ...h.deps,
      outboundPolicy: { allowPrivate: false },
      providers: {
        ...h.deps.providers,
        lookup: toLoopback,
        onFailure: ({ detail }) => details.push(detail),
      },
    };
    const { app, url } = await bareApp(
      reconcileRoutes({ reconcile: strict, sendError: testSendError, cronSecret: null }),
    );
    try {
      const ws = await h.createWorkspace({
        name: 'rebind',
        calendly: false,
        ghlBaseUrl: `https://ghl.rebind.test:${port}`,
      });
      await h.putLead(ws.id, 'lead-rebind', { ghlContactId: 'contact-rebind' });
      const res = await fetch(`${url}/v1/workspaces/${ws.id}/leads/lead-rebind/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        leadId: 'lead-rebind',
        checks: [{ provider: 'ghl', outcome: { kind: 'failed', code: 'PROVIDER_UNREACHABLE' } }],
      });
    } finally {
      await app.close();
    }
    expect(resolvedNames).toContain('ghl.rebind.test');
    expect(local.hits()).toBe(0);
    // The log line's detail says why; the outcome does not.
    expect(details).toContain('OUTBOUND_ADDRESS_BLOCKED');
  });

  it.each([
    ['loopback, port closed', 'https://127.0.0.1:9'],
    ['metadata address', 'https://169.254.169.254'],
    ['plain http', 'http://example.com'],
  ])('a stored %s URL (saved before the rule existed) is one failure code too', async (_name, url) => {
    const strict: ReconcileDeps = { ...h.deps, outboundPolicy: { allowPrivate: false } };
    const checks = await checkGhl(strict, url, `lead-stored-${_name.replace(/\W+/g, '-')}`);
    expect(checks).toEqual([{ provider: 'ghl', outcome: { kind: 'failed', code: 'PROVIDER_UNREACHABLE' } }]);
  });

  it('a redirect to a private address is not followed: PROVIDER_BAD_RESPONSE, the target never called', async () => {
    const target = await localServer((_p, res) => res.end('{"appointments":[]}'));
    const redirector = await localServer((path, res) => {
      res.writeHead(302, { location: `${target.url}${path}` });
      res.end();
    });
    const checks = await checkGhl(h.deps, redirector.url, 'lead-redirect');
    expect(checks).toEqual([{ provider: 'ghl', outcome: { kind: 'failed', code: 'PROVIDER_BAD_RESPONSE' } }]);
    expect(redirector.hits()).toBeGreaterThan(0);
    expect(target.hits()).toBe(0);
  });

  it('an oversized response is cut: PROVIDER_BAD_RESPONSE, not read to the end', async () => {
    const huge = `{"appointments":[${'{"id":"x"},'.repeat(200_000)}{"id":"y"}]}`;
    const big = await localServer((_p, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(huge);
    });
    const capped: ReconcileDeps = { ...h.deps, providers: { ...h.deps.providers, maxResponseBytes: 64 * 1024 } };
    const checks = await checkGhl(capped, big.url, 'lead-huge');
    expect(checks).toEqual([{ provider: 'ghl', outcome: { kind: 'failed', code: 'PROVIDER_BAD_RESPONSE' } }]);
  });
});
