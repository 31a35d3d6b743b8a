/**
 * Security headers on every response (helmet, in the first onRequest hook of the root instance): a
 * CSP that allows nothing (the API answers JSON, never pages), no framing, nosniff, no referrer,
 * HSTS (browsers honour it only over https: recon behind a TLS proxy), cross-origin isolation of
 * what we serve. The operator page (page/operator-page.ts) sets its own, looser CSP on its three
 * assets, and the API reference (docs/api-reference.ts) on /docs; a header set by a route wins
 * over the one set here, so they keep it. Answers Fastify writes before any hook runs (a malformed
 * URL: `frameworkErrors`) get them through `applySecurityHeaders`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';

export const API_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

// One middleware, built once: it only sets headers (no I/O, never fails).
const setHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
}) as (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  setHeaders(request.raw, reply.raw, () => undefined);
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    applySecurityHeaders(request, reply);
  });
}
