/**
 * `/metrics` behind a token when RECON_METRICS_TOKEN is set: `Authorization: Bearer <token>` is
 * required (constant-time compare of digests; anything else → 401 UNAUTHORIZED with
 * `WWW-Authenticate`). Unset, /metrics stays public as before (it holds no PII; it still runs a few
 * queries per scrape, and is rate-limited per client address like every public route).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sendError } from '@recon/http';
import { bearerToken } from '../auth/install-auth';

export const METRICS_PATH = '/metrics';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function installMetricsToken(app: FastifyInstance, token: string | undefined): void {
  if (token === undefined || token === '') return;
  const expected = digest(token);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== METRICS_PATH) return undefined;
    const given = bearerToken(request);
    // Digest first: the compare takes the same time whatever the given token's length.
    if (given !== null && timingSafeEqual(digest(given), expected)) return undefined;
    reply.header('www-authenticate', 'Bearer realm="metrics"');
    return sendError(reply, 'UNAUTHORIZED', 'A valid metrics token is required');
  });
}
