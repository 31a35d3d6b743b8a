/**
 * One onRequest hook guards every route by its `auth` level (see principal.ts): it runs before the
 * body is read, so an unauthenticated caller cannot make us parse anything. 401 without a valid
 * token, 403 for another workspace's key, 404 when the admin names an unknown workspace.
 * Operator keys are looked up through the ApiKeyCache (by sha256, a few seconds; see
 * api-key-cache.ts for when a revocation takes effect).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findApiKey, getWorkspace, hashApiKey, type WorkspacesDatabase } from '@recon/workspaces';
import { sendError } from '@recon/http';
import type { ApiKeyCache } from './api-key-cache';
import { defaultRouteAuth, type Principal, type RouteAuth } from './principal';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token of `Authorization: Bearer <token>` (at most 512 characters), or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** Workspace ids recon issues are `ws_<hex>`; anything outside this alphabet cannot exist. */
export function isWorkspaceId(ws: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(ws);
}

export function routeAuthOf(request: FastifyRequest): RouteAuth {
  return request.routeOptions.config.auth ?? defaultRouteAuth(request.routeOptions.url ?? '');
}

export function installAuth(
  app: FastifyInstance,
  deps: { db: Kysely<WorkspacesDatabase>; adminToken: string; apiKeys: ApiKeyCache },
): void {
  const adminDigest = digest(deps.adminToken);
  app.decorateRequest('principal', null);

  async function authenticate(token: string): Promise<Principal | null> {
    if (timingSafeEqual(digest(token), adminDigest)) return { kind: 'admin' };
    if (!token.startsWith('rk_')) return null;
    const key = await deps.apiKeys.resolve(hashApiKey(token), () => findApiKey(deps.db, token));
    return key === null ? null : { kind: 'operator', keyId: key.id, workspaceId: key.workspaceId };
  }

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = routeAuthOf(request);
    if (auth === 'public' || auth === 'webhook') return;
    const token = bearerToken(request);
    const principal = token === null ? null : await authenticate(token);
    if (principal === null) return sendError(reply, 'UNAUTHORIZED', 'A valid bearer token is required');
    request.principal = principal;
    if (auth === 'authenticated') return;
    if (auth === 'admin') {
      if (principal.kind !== 'admin') return sendError(reply, 'FORBIDDEN', 'This route needs the admin token');
      return;
    }
    const ws = (request.params as { ws?: unknown }).ws;
    if (typeof ws !== 'string') return sendError(reply, 'FORBIDDEN', 'Route is not scoped to a workspace');
    if (principal.kind === 'operator') {
      if (principal.workspaceId !== ws) return sendError(reply, 'FORBIDDEN', 'This key belongs to another workspace');
      if (auth === 'workspace-admin') return sendError(reply, 'FORBIDDEN', 'This route needs the admin token');
      return;
    }
    if (!isWorkspaceId(ws) || (await getWorkspace(deps.db, ws)) === null)
      return sendError(reply, 'WORKSPACE_NOT_FOUND', 'No such workspace');
  });
}
