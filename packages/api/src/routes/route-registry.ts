/**
 * Every route the app serves, with its auth level, collected as routes are added (onRoute). Tests
 * iterate it (tenant isolation over every `/v1/workspaces/:ws/...` route), so a new route is
 * covered without anyone remembering to list it.
 */
import type { FastifyInstance } from 'fastify';
import { defaultRouteAuth, type RouteAuth } from '../auth/principal';

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly auth: RouteAuth;
}

const registries = new WeakMap<FastifyInstance, RouteEntry[]>();

export function installRouteRegistry(app: FastifyInstance): void {
  const entries: RouteEntry[] = [];
  registries.set(app, entries);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      entries.push({ method, url: route.url, auth: route.config?.auth ?? defaultRouteAuth(route.url) });
    }
  });
}

/** The routes of an app built by buildApp (complete once `app.ready()` resolved). */
export function routeRegistry(app: FastifyInstance): readonly RouteEntry[] {
  return registries.get(app) ?? [];
}
