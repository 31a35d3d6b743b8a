/**
 * Security headers on every response (@fastify/helmet, on the root instance before any route): a
 * CSP that allows nothing (the API answers JSON, never pages), no framing, nosniff, no referrer,
 * HSTS (browsers honour it only over https: recon behind a TLS proxy), cross-origin isolation of
 * what we serve. The operator page (page/operator-page.ts) sets its own, looser CSP on its three
 * assets; a header set by a route wins over the one set here, so the page keeps it.
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export const API_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
