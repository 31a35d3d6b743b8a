import { ALL_ROUTE_GROUPS, type RouteGroup } from '@recon/api';

/**
 * What one `recon start` process runs. All four by default; `--role api,ingest` etc. splits them so
 * API and ingest scale horizontally while projections and the scheduler run once each (both are
 * also guarded cluster-wide: projections by an advisory lock, scheduler ticks by workspace leases).
 * - api: the operator/read routes and admin routes (HTTP)
 * - ingest: the lead feed and the webhooks (HTTP)
 * - projections: the read-model runners
 * - scheduler: the in-process reconciliation ticks
 */
export const ROLES = ['api', 'ingest', 'projections', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

export type ParseRolesResult =
  | { readonly ok: true; readonly value: ReadonlySet<Role> }
  | { readonly ok: false; readonly code: 'ROLE_UNKNOWN'; readonly role: string };

export function parseRoles(text: string | undefined): ParseRolesResult {
  if (text === undefined || text.trim() === '' || text.trim() === 'all') return { ok: true, value: new Set(ROLES) };
  const roles = new Set<Role>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)) {
    if (!(ROLES as readonly string[]).includes(part)) return { ok: false, code: 'ROLE_UNKNOWN', role: part };
    roles.add(part as Role);
  }
  return roles.size === 0 ? { ok: true, value: new Set(ROLES) } : { ok: true, value: roles };
}

/** The HTTP server runs when the process serves the API or ingest. */
export function servesHttp(roles: ReadonlySet<Role>): boolean {
  return roles.has('api') || roles.has('ingest');
}

/**
 * The route groups buildApp serves for these roles. `api` and `ingest` both serve every group: a
 * load balancer in front of `--role api,ingest` replicas may send any path to any of them, and
 * each HTTP role has always answered every route (split them here, in one place, if that changes).
 * Background-only processes serve no HTTP.
 */
export function routeGroupsFor(roles: ReadonlySet<Role>): ReadonlySet<RouteGroup> {
  return servesHttp(roles) ? new Set(ALL_ROUTE_GROUPS) : new Set();
}
