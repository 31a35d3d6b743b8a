import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch, type Lookup } from './guarded-fetch';
import { outboundRefusalCode } from './outbound-error';

/** A test resolver: names in the table resolve to their address, others fail like NXDOMAIN. */
const testResolver =
  (table: Record<string, string>): Lookup =>
  (hostname, options, callback) => {
    const address = table[hostname];
    if (address === undefined) return callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), []);
    const family = address.includes(':') ? 6 : 4;
    if (options.all === true) return callback(null, [{ address, family }]);
    return callback(null, address, family);
  };

async function refusal(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return outboundRefusalCode(e) ?? `other:${(e as Error).name}`;
  }
}

let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') return res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
    if (req.url === '/metadata-redirect')
      return res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/big')
      return res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(64 * 1024));
    if (req.url === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 16; i++) res.write('y'.repeat(8 * 1024));
      return res.end();
    }
    if (req.url === '/slow') return setTimeout(() => res.writeHead(200).end('late'), 3_000);
    return res.writeHead(200, { 'content-type': 'application/json', 'x-kept': 'yes' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('guarded fetch', () => {
  it('refuses a hostname that resolves to a blocked address at connect time (nothing reaches the server)', async () => {
    const before = hits.length;
    for (const target of ['127.0.0.1', '10.0.0.1', '::1', '::ffff:127.0.0.1', '169.254.169.254']) {
      const g = createGuardedFetch({
        policy: { allowPrivate: false },
        lookup: testResolver({ 'innocent.example': target }),
      });
      expect(await refusal(g.fetch(`https://innocent.example:${port}/`))).toBe('OUTBOUND_ADDRESS_BLOCKED');
      await g.close();
    }
    expect(hits.length).toBe(before);
  });

  it('lets a hostname that resolves to a public address through to connect (the guard is not a blanket refusal)', async () => {
    const g = createGuardedFetch({
      policy: { allowPrivate: false },
      connectTimeoutMs: 500,
      timeoutMs: 1_000,
      lookup: testResolver({ 'public.example': '192.0.3.1' }),
    });
    const code = await refusal(g.fetch('https://public.example/'));
    expect(code).not.toBe('OUTBOUND_ADDRESS_BLOCKED');
    expect(code).not.toBeNull(); // this machine has no route out: the connect itself fails
    await g.close();
  });

  it('refuses literal private addresses and http before connecting', async () => {
    const g = createGuardedFetch({ policy: { allowPrivate: false } });
    expect(await refusal(g.fetch(`https://127.0.0.1:${port}/`))).toBe('OUTBOUND_URL_PRIVATE_ADDRESS');
    expect(await refusal(g.fetch(`https://[::ffff:7f00:1]:${port}/`))).toBe('OUTBOUND_URL_PRIVATE_ADDRESS');
    expect(await refusal(g.fetch(`http://innocent.example:${port}/`))).toBe('OUTBOUND_URL_NOT_HTTPS');
    await g.close();
  });

  describe('with RECON_ALLOW_PRIVATE_URLS (simulators): bounds still hold', () => {
    const g = createGuardedFetch({ policy: { allowPrivate: true }, maxResponseBytes: 32 * 1024, timeoutMs: 1_000 });
    afterAll(() => g.close());

    it('answers a normal request with status, headers and body', async () => {
      const r = await g.fetch(`http://127.0.0.1:${port}/ok`);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-kept')).toBe('yes');
      expect(await r.json()).toEqual({ ok: true });
    });

    it('follows no redirect, to a private address or anywhere', async () => {
      const before = hits.filter((h) => h === '/target').length;
      expect(await refusal(g.fetch(`http://127.0.0.1:${port}/redirect`))).toBe('OUTBOUND_REDIRECT_REFUSED');
      expect(await refusal(g.fetch(`http://127.0.0.1:${port}/metadata-redirect`))).toBe('OUTBOUND_REDIRECT_REFUSED');
      expect(hits.filter((h) => h === '/target').length).toBe(before);
    });

    it('caps the response size (declared and chunked)', async () => {
      expect(await refusal(g.fetch(`http://127.0.0.1:${port}/big`))).toBe('OUTBOUND_RESPONSE_TOO_LARGE');
      expect(await refusal(g.fetch(`http://127.0.0.1:${port}/big-chunked`))).toBe('OUTBOUND_RESPONSE_TOO_LARGE');
    });

    it('caps the time', async () => {
      const started = Date.now();
      const code = await refusal(g.fetch(`http://127.0.0.1:${port}/slow`));
      expect(code).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(2_900);
    });
  });
});
