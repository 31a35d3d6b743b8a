/**
 * Every provider's webhook route, from the registry: `POST /webhooks/<name>/:ws` per provider
 * module. One Fastify plugin (the API registers it once); the routes keep the raw request bytes
 * (signatures are over them) and make their request logger only when they log, scoped to this
 * plugin.
 */
import type { FastifyPluginAsync } from 'fastify';
import { providerModules } from '../providers/registry';
import { lazyChildLoggerFactory } from './lazy-child-logger';
import { keepRawBodies } from './raw-body';
import { registerProviderWebhook } from './provider-webhook-route';
import type { WebhookDeps } from './webhook-deps';

export const DEFAULT_WEBHOOK_BODY_LIMIT = 256 * 1024;

export const webhookRoutes: FastifyPluginAsync<WebhookDeps> = async (app, deps) => {
  keepRawBodies(app, deps.bodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT);
  app.setChildLoggerFactory(lazyChildLoggerFactory);
  for (const module of Object.values(providerModules)) registerProviderWebhook(app, module, deps);
};
