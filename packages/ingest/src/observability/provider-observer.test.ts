/**
 * The provider HTTP path reports every exchange (status or none, duration), limiter waits and the
 * call's final result to its observer; a throwing observer never changes the outcome.
 */
import { describe, expect, it } from 'vitest';
import { getJson, type ProviderHttpObserver } from '../providers/provider-http';
import { AccountRateLimiter } from '../providers/provider-rate-limiter';
import { webhookFailureOutcome, type ProviderExchange } from './ingest-metrics';

function recorder(): {
  observer: ProviderHttpObserver;
  exchanges: ProviderExchange[];
  calls: string[];
  queued: number[];
} {
  const exchanges: ProviderExchange[] = [];
  const calls: string[] = [];
  const queued: number[] = [];
  return {
    exchanges,
    calls,
    queued,
    observer: {
      exchange: (e) => exchanges.push(e),
      queued: (s) => queued.push(s),
      call: (r) => calls.push(r),
    },
  };
}

/** A fetch answering the given statuses in order (then 200 {}), or throwing for 0. */
function scripted(statuses: number[]): typeof fetch {
  return async () => {
    const status = statuses.shift() ?? 200;
    if (status === 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return new Response(status === 200 ? '{"ok":true}' : '{}', { status });
  };
}

const request = {
  path: '/x',
  parse: (body: unknown) => ({ ok: true as const, value: body }),
  rateLimit: () => ({ waitMs: 0, daily: false }),
};
const retry = { baseDelayMs: 1, maxDelayMs: 1, random: () => 0 };

describe('provider HTTP observer', () => {
  it('429, 503, then 200: three exchanges with their statuses and one ok call', async () => {
    const r = recorder();
    const result = await getJson(
      { baseUrl: 'http://sim', accessToken: 't', fetch: scripted([429, 503, 200]), retry, observe: r.observer },
      request,
    );
    expect(result.ok).toBe(true);
    expect(r.exchanges.map((e) => e.status)).toEqual([429, 503, 200]);
    expect(r.exchanges.every((e) => e.seconds >= 0)).toBe(true);
    expect(r.calls).toEqual(['ok']);
    expect(r.queued).toEqual([]);
  });

  it('no answer: status null per attempt, the call fails PROVIDER_UNREACHABLE; limiter waits are reported', async () => {
    const r = recorder();
    const limiter = new AccountRateLimiter('test', { maxRequests: 100, intervalMs: 1_000 });
    const result = await getJson(
      {
        baseUrl: 'http://sim',
        accessToken: 't',
        fetch: scripted([0, 0]),
        retry: { ...retry, maxAttempts: 2 },
        limiter,
        observe: r.observer,
      },
      request,
    );
    await limiter.stop();
    expect(result).toMatchObject({ ok: false, code: 'PROVIDER_UNREACHABLE' });
    expect(r.exchanges.map((e) => e.status)).toEqual([null, null]);
    expect(r.queued).toHaveLength(2);
    expect(r.calls).toEqual(['PROVIDER_UNREACHABLE']);
  });

  it('a throwing observer does not change the result', async () => {
    const boom = () => {
      throw new Error('metrics broke');
    };
    const result = await getJson(
      {
        baseUrl: 'http://sim',
        accessToken: 't',
        fetch: scripted([200]),
        observe: { exchange: boom, queued: boom, call: boom },
      },
      request,
    );
    expect(result).toEqual({ ok: true, value: { ok: true } });
  });
});

describe('webhookFailureOutcome', () => {
  it('maps the route codes to the operator outcomes', () => {
    expect(webhookFailureOutcome('WEBHOOK_SIGNATURE_INVALID')).toBe('signature_rejected');
    expect(webhookFailureOutcome('GHL_LEGACY_SIGNATURE_DISABLED')).toBe('signature_rejected');
    expect(webhookFailureOutcome('MALFORMED_JSON')).toBe('invalid_payload');
    expect(webhookFailureOutcome('GHL_LOCATION_MISMATCH')).toBe('invalid_payload');
    expect(webhookFailureOutcome('PROVIDER_NOT_CONFIGURED')).toBe('not_configured');
    expect(webhookFailureOutcome('EVENT_STORE_UNAVAILABLE')).toBe('unavailable');
    expect(webhookFailureOutcome('CONCURRENCY_CONFLICT')).toBe('unavailable');
    expect(webhookFailureOutcome('EVENT_STORE_STREAM_DELETED')).toBe('rejected');
    expect(webhookFailureOutcome('SECRET_UNREADABLE')).toBe('secret_unreadable');
  });
});
