/**
 * What every app serves whatever its route groups: the OpenAPI document (/openapi.json), the API
 * reference (/docs, its document at /docs/json) and the probes and metrics (/healthz, /readyz,
 * /metrics). Registered by buildApp on the root instance before any other route (not
 * encapsulated: the OpenAPI collector and the HTTP latency hook must see every route). /metrics is behind RECON_METRICS_TOKEN when set (ops/metrics-token.ts, installed by
 * buildApp); every probe is rate-limited per client address like any public route.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { AppServices } from '../app-services';
import { installApiReference } from '../docs/api-reference';
import { installOpenApiDocument } from '../docs/openapi-document';
import { installOps } from '../read/ops-routes';

const opsApiPlugin: FastifyPluginAsync<AppServices> = async (app, services) => {
  await installOpenApiDocument(app);
  await installApiReference(app);
  await installOps(app, services);
};

// Same effect as fastify-plugin: hooks and decorators land on the instance that registers us.
(opsApiPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const opsApi = opsApiPlugin;
