/**
 * A `fetch` for calls to addresses that operators configure (provider API base URLs, notification
 * receivers). Before the request: the URL rule of outbound-url.ts. At connect time: every address
 * the host resolves to is checked against the blocked ranges (a name that resolves to 127.0.0.1,
 * or re-resolves there after it was saved, is refused). During: no redirect is followed (a 3xx is
 * refused, so a token is never replayed to another host), the whole exchange has a deadline, and
 * the body is read up to a size cap. `policy.allowPrivate` (RECON_ALLOW_PRIVATE_URLS=1) lifts the
 * scheme and address rules but keeps the redirect, time and size bounds.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { isBlockedAddress } from './blocked-addresses';
import { OutboundRefused } from './outbound-error';
import { checkOutboundUrl, type OutboundPolicy } from './outbound-url';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** The `dns.lookup` shape (a test resolver can stand in for DNS). */
export type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

export interface GuardedFetchOptions {
  readonly policy: OutboundPolicy;
  /** Largest response body read, bytes (default 1 MiB). */
  readonly maxResponseBytes?: number;
  /** Deadline of the whole exchange, headers and body, ms (default 15 000). */
  readonly timeoutMs?: number;
  /** TCP + TLS connect deadline, ms (default 5 000). */
  readonly connectTimeoutMs?: number;
  /** Name resolution (default dns.lookup). */
  readonly lookup?: Lookup;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Wraps a resolver so that a name resolving to any blocked address fails to connect. */
export function guardedLookup(resolve: Lookup): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]) as LookupAddress[];
      if (list.length === 0 || list.some((a) => isBlockedAddress(a.address))) {
        return callback(
          Object.assign(new OutboundRefused('OUTBOUND_ADDRESS_BLOCKED'), {
            errno: -1,
          }) as unknown as NodeJS.ErrnoException,
          [],
        );
      }
      if (options.all === true) return callback(null, list);
      const first = list[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}

async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new OutboundRefused('OUTBOUND_RESPONSE_TOO_LARGE');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export interface GuardedFetch {
  readonly fetch: typeof fetch;
  close(): Promise<void>;
}

export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const resolve = options.lookup ?? (dnsLookup as unknown as Lookup);
  const agent = new Agent({
    connect: {
      timeout: options.connectTimeoutMs ?? 5_000,
      ...(options.policy.allowPrivate
        ? options.lookup
          ? { lookup: options.lookup }
          : {}
        : { lookup: guardedLookup(resolve) }),
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const checked = checkOutboundUrl(raw, options.policy);
    if (!checked.ok) throw new OutboundRefused(checked.code);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const response = await undiciFetch(checked.url, {
      ...(init as Record<string, unknown>),
      redirect: 'manual',
      signal,
      dispatcher: agent,
    } as Parameters<typeof undiciFetch>[1]);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new OutboundRefused('OUTBOUND_REDIRECT_REFUSED');
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new OutboundRefused('OUTBOUND_RESPONSE_TOO_LARGE');
    }
    const bytes = await readCapped(response.body as ReadableStream<Uint8Array> | null, maxBytes);
    const headers = new Headers();
    response.headers.forEach((value, key) => headers.append(key, value));
    const nullBody = response.status === 204 || response.status === 304 || init?.method === 'HEAD';
    return new Response(nullBody ? null : bytes, { status: response.status, statusText: response.statusText, headers });
  };
  return { fetch: guarded as typeof fetch, close: () => agent.close() };
}
