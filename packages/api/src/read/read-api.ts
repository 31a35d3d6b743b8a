/**
 * The read API as one plugin (buildApp's `read` group): the operator's read routes and the
 * operator page. Routes go through the app's auth hook and route registry like every other route;
 * /docs and the probes are installed before it by ops/ops-api.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { AppServices } from '../app-services';
import { operatorPage } from '../page/operator-page';
import { analyticsRoutes } from './analytics-routes';
import { gateRoutes } from './gate-routes';
import { leadReadRoutes } from './lead-read-routes';
import { mismatchRoutes } from './mismatch-routes';
import { statsRoutes } from './stats-routes';
import { taskRoutes } from './task-routes';

const readApiPlugin: FastifyPluginAsync<AppServices> = async (app, services) => {
  await app.register(leadReadRoutes, services);
  await app.register(mismatchRoutes, services);
  await app.register(taskRoutes, services);
  await app.register(gateRoutes, services);
  await app.register(statsRoutes, services);
  await app.register(analyticsRoutes, services);
  await app.register(operatorPage);
};

// Same effect as fastify-plugin: hooks and decorators land on the instance that registers us.
(readApiPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const readApi = readApiPlugin;
