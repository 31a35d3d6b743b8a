/**
 * SSRF at save time: a provider `apiBaseUrl` or a workspace `notifyUrl` that is not https, or whose
 * host is a literal loopback, private, link-local, unique-local, metadata or IPv4-mapped address,
 * is refused when it is saved (400 with its own code) and nothing is stored. With the explicit
 * allow-private option (RECON_ALLOW_PRIVATE_URLS=1) the simulators' http://127.0.0.1 URLs save.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';
import { request } from './testing/http';

let strict: TestApp;
let allowing: TestApp;
let ws: string;
let wsAllowing: string;

beforeAll(async () => {
  [strict, allowing] = await Promise.all([
    startTestApp({ name: 'outbound-urls', listen: true }),
    startTestApp({ name: 'outbound-urls-allow', listen: true, config: { allowPrivateUrls: true } }),
  ]);
  ws = (await createWorkspaceWithKey(strict.baseUrl, 'ssrf')).ws;
  wsAllowing = (await createWorkspaceWithKey(allowing.baseUrl, 'simulators')).ws;
});
afterAll(async () => {
  await Promise.all([strict?.close(), allowing?.close()]);
});

const REFUSED: readonly (readonly [string, string])[] = [
  ['http://api.example.com', 'OUTBOUND_URL_NOT_HTTPS'],
  ['http://169.254.169.254/latest/meta-data', 'OUTBOUND_URL_NOT_HTTPS'],
  ['https://127.0.0.1:8080', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://10.1.2.3', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://172.16.0.1', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://172.31.255.254', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://192.168.1.1', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://169.254.169.254', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://[::1]', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://[fc00::1]', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://[fd00:ec2::254]', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://[fe80::1]', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://[::ffff:127.0.0.1]', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://[::ffff:a9fe:a9fe]', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://2130706433', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://localhost:3000', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
  ['https://user:pass@api.example.com', 'OUTBOUND_URL_INVALID'],
];

const providerBody = (provider: string, apiBaseUrl: string): Record<string, unknown> => {
  if (provider === 'ghl') return { accessToken: 'tok', locationId: 'loc-1', apiBaseUrl };
  if (provider === 'calendly')
    return {
      accessToken: 'tok',
      organizationUri: 'https://api.calendly.com/organizations/x',
      webhookSigningKey: 'signing-key',
      apiBaseUrl,
    };
  return { accessToken: 'tok', webhookSecret: 'whsec', apiBaseUrl };
};

const codeOf = (body: Record<string, unknown>) => (body['error'] as { code?: string } | undefined)?.code;

describe('PUT provider credentials refuses an apiBaseUrl recon must not call', () => {
  for (const provider of ['ghl', 'calendly', 'calcom'])
    it.each(REFUSED)(`${provider}: %s → 400 %s, nothing stored`, async (url, code) => {
      const put = await request(strict.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/${provider}`, {
        headers: admin,
        body: providerBody(provider, url),
      });
      expect(put.status).toBe(400);
      expect(codeOf(put.body)).toBe(code);
      const get = await request(strict.baseUrl, 'GET', `/v1/workspaces/${ws}/providers/${provider}`, {
        headers: admin,
      });
      expect(get.status).toBe(404);
    });

  it('a public https URL (and no URL: the provider default) saves', async () => {
    const put = await request(strict.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/calcom`, {
      headers: admin,
      body: providerBody('calcom', 'https://api.cal.eu'),
    });
    expect(put.status).toBe(200);
    expect((put.body['config'] as Record<string, unknown>)['apiBaseUrl']).toBe('https://api.cal.eu');
    const ghl = await request(strict.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/ghl`, {
      headers: admin,
      body: { accessToken: 'tok', locationId: 'loc-1' },
    });
    expect(ghl.status).toBe(200);
    // A refused update leaves what was stored as it was.
    const refused = await request(strict.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/calcom`, {
      headers: admin,
      body: providerBody('calcom', 'https://169.254.169.254'),
    });
    expect(refused.status).toBe(400);
    const get = await request(strict.baseUrl, 'GET', `/v1/workspaces/${ws}/providers/calcom`, { headers: admin });
    expect((get.body['config'] as Record<string, unknown>)['apiBaseUrl']).toBe('https://api.cal.eu');
  });

  it('with allowPrivateUrls (RECON_ALLOW_PRIVATE_URLS=1) a simulator on http://127.0.0.1 saves', async () => {
    const put = await request(allowing.baseUrl, 'PUT', `/v1/workspaces/${wsAllowing}/providers/ghl`, {
      headers: admin,
      body: providerBody('ghl', 'http://127.0.0.1:4010'),
    });
    expect(put.status).toBe(200);
    // Credentials in a URL stay refused: the rule lifted is the scheme and address one only.
    const creds = await request(allowing.baseUrl, 'PUT', `/v1/workspaces/${wsAllowing}/providers/ghl`, {
      headers: admin,
      body: providerBody('ghl', 'http://u:p@127.0.0.1:4010'),
    });
    expect(codeOf(creds.body)).toBe('OUTBOUND_URL_INVALID');
  });
});

describe('PUT settings refuses a notifyUrl recon must not call', () => {
  it.each(REFUSED)('%s → 400 %s, nothing stored', async (url, code) => {
    const put = await request(strict.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, {
      headers: admin,
      body: { notifyUrl: url, notifySecret: 'notify-secret-0123456789' },
    });
    expect(put.status).toBe(400);
    expect(codeOf(put.body)).toBe(code);
    const get = await request(strict.baseUrl, 'GET', `/v1/workspaces/${ws}/settings`, { headers: admin });
    expect(get.body['notifyUrl']).toBeNull();
    expect(get.body['hasNotifySecret']).toBe(false);
  });

  it('a public https notifyUrl saves; null clears it; allowPrivateUrls lets a local receiver in', async () => {
    const put = await request(strict.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, {
      headers: admin,
      body: { notifyUrl: 'https://hooks.example.com/recon', notifySecret: 'notify-secret-0123456789' },
    });
    expect(put.status).toBe(200);
    expect(put.body['notifyUrl']).toBe('https://hooks.example.com/recon');
    const cleared = await request(strict.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, {
      headers: admin,
      body: { notifyUrl: null },
    });
    expect(cleared.status).toBe(200);
    const local = await request(allowing.baseUrl, 'PUT', `/v1/workspaces/${wsAllowing}/settings`, {
      headers: admin,
      body: { notifyUrl: 'http://127.0.0.1:9000/hook', notifySecret: 'notify-secret-0123456789' },
    });
    expect(local.status).toBe(200);
  });
});
