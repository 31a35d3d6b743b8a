/**
 * Rate limits on every route (see rate-limit-settings.ts for the classes), on @fastify/rate-limit's
 * fixed-window store. Two onRequest hooks, on either side of the auth hook:
 * - before auth: webhooks count per workspace and client address, public routes per address;
 *   on authenticated routes an address that failed authentication too often is refused before its
 *   token is looked up (failures are counted when a 401 goes out);
 * - after auth: authenticated requests count per principal (admin, or one operator key).
 * Both run before the body is read. A limited request answers 429 RATE_LIMITED with `Retry-After`
 * (seconds to the end of the window) through the one sendError — for webhooks that is the status
 * providers retry.
 */
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { sendError } from '@recon/http';
import { createRateLimitedLog, type RateLimitedLog } from '@recon/resilience';
import { routeAuthOf } from '../auth/install-auth';
import type { RateLimit, RateLimitSettings } from './rate-limit-settings';

type Limiter = (request: FastifyRequest, options?: { increment?: boolean }) => Promise<LimitState>;
type LimitState =
  | { readonly isAllowed: true }
  | { readonly isAllowed: false; readonly isExceeded: boolean; readonly remaining: number; readonly ttl: number };

export interface RateLimitHooks {
  /** Install before the auth hook. */
  readonly beforeAuth: onRequestAsyncHookHandler;
  /** Install after the auth hook. */
  readonly afterAuth: onRequestAsyncHookHandler;
}

export function clientAddress(request: FastifyRequest): string {
  return normalizeIP(request.ip);
}

function workspaceOf(request: FastifyRequest): string {
  const ws = (request.params as { ws?: unknown } | undefined)?.ws;
  return typeof ws === 'string' ? ws.slice(0, 64) : '';
}

function principalKey(request: FastifyRequest): string {
  const p = request.principal;
  if (p === null) return `anonymous\u0000${clientAddress(request)}`;
  return p.kind === 'admin' ? 'admin' : `key\u0000${p.keyId}`;
}

const authenticated = (request: FastifyRequest) => {
  const auth = routeAuthOf(request);
  return auth !== 'public' && auth !== 'webhook';
};

type LimitClass = 'webhook' | 'api' | 'ip' | 'failed-auth';

async function refuseWhenExceeded(
  log: RateLimitedLog,
  limitClass: LimitClass,
  limiter: Limiter | null,
  request: FastifyRequest,
  reply: FastifyReply,
  increment = true,
): Promise<FastifyReply | undefined> {
  if (limiter === null) return undefined;
  const state = await limiter(request, { increment });
  // Counted: refused past max. Peeked (failed authentications, counted afterwards): refused at max.
  if (state.isAllowed || (increment ? !state.isExceeded : state.remaining > 0)) return undefined;
  reply.header('retry-after', String(Math.max(1, Math.ceil(state.ttl / 1000))));
  // A flood is one warn line per class per 30 s with a count (never the key: it names an address or a key id).
  log.failure(`RATE_LIMITED_${limitClass}`, { limitClass }, 'requests refused by a rate limit', 'warn');
  return sendError(reply, 'RATE_LIMITED', 'Too many requests; retry after the time in Retry-After');
}

/** Registers the store and answers the two hooks (plus the counter of failed authentication). */
export async function installRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<RateLimitHooks> {
  await app.register(fastifyRateLimit, { global: false, cache: 20_000 });
  const limiter = (limit: RateLimit, keyGenerator: (r: FastifyRequest) => string): Limiter | null =>
    limit.max > 0
      ? (app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator }) as Limiter)
      : null;
  // Each createRateLimit has its own store: the keys of one class never count against another.
  const webhook = limiter(settings.webhook, (r) => `${workspaceOf(r)}\u0000${clientAddress(r)}`);
  const perAddress = limiter(settings.ip, clientAddress);
  const failedAuth = limiter(settings.ip, clientAddress);
  const perPrincipal = limiter(settings.api, principalKey);
  const log = createRateLimitedLog(app.log);

  if (failedAuth !== null)
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode === 401 && request.principal === null && authenticated(request)) await failedAuth(request);
    });

  return {
    beforeAuth: async (request, reply) => {
      const auth = routeAuthOf(request);
      if (auth === 'webhook') return refuseWhenExceeded(log, 'webhook', webhook, request, reply);
      if (auth === 'public') return refuseWhenExceeded(log, 'ip', perAddress, request, reply);
      return refuseWhenExceeded(log, 'failed-auth', failedAuth, request, reply, false);
    },
    afterAuth: async (request, reply) => {
      if (request.principal === null || !authenticated(request)) return undefined;
      return refuseWhenExceeded(log, 'api', perPrincipal, request, reply);
    },
  };
}
