/** Admin routes for workspaces and their operator API keys. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createApiKey, createWorkspace, revokeApiKey } from '@recon/workspaces';
import { z } from 'zod';
import type { AppServices } from '../app-services';
import { sendError } from '@recon/http';

const WsParams = z.object({ ws: z.string().min(1).max(64) });

export const workspaceRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  app.post(
    '/v1/workspaces',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create a workspace (admin token)',
        body: z.strictObject({ name: z.string().trim().min(1).max(200) }).meta({ examples: [{ name: 'Acme Dental' }] }),
        response: {
          201: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).meta({
            examples: [{ id: 'ws_8f14e45fceea167a9a36', name: 'Acme Dental', createdAt: '2030-06-01T10:00:00.000Z' }],
          }),
        },
      },
    },
    async (request, reply) => {
      const workspace = await createWorkspace(services.db, { name: request.body.name, now: services.clock() });
      return reply.code(201).send(workspace);
    },
  );

  app.post(
    '/v1/workspaces/:ws/api-keys',
    {
      config: { auth: 'workspace-admin' },
      schema: {
        summary: 'Create an operator key for the workspace (admin token); the key is shown only here',
        params: WsParams,
        body: z.strictObject({ label: z.string().trim().min(1).max(200) }).meta({ examples: [{ label: 'CRM sync' }] }),
        response: {
          201: z.object({ id: z.string(), key: z.string() }).meta({
            examples: [{ id: 'key_1c383cd30b7c298a', key: 'rk_UNhY4JhezH9gQYqvDMWrWH9CwlcKiECVqejMrND2VFw' }],
          }),
        },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(services.db, {
        workspaceId: request.params.ws,
        label: request.body.label,
        now: services.clock(),
      });
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/v1/workspaces/:ws/api-keys/:id',
    {
      config: { auth: 'workspace-admin' },
      schema: {
        summary: 'Revoke an operator key (admin token); refused at once on this instance, elsewhere within seconds',
        params: WsParams.extend({ id: z.string().min(1).max(100) }),
        response: {
          200: z
            .object({ id: z.string(), revoked: z.literal(true) })
            .meta({ examples: [{ id: 'key_1c383cd30b7c298a', revoked: true }] }),
        },
      },
    },
    async (request, reply) => {
      const result = await revokeApiKey(services.db, {
        workspaceId: request.params.ws,
        id: request.params.id,
        now: services.clock(),
      });
      if (!result.ok) return sendError(reply, result.code, 'No such API key in this workspace');
      services.apiKeys.forget(request.params.id); // refused at once here; elsewhere within the cache TTL
      return reply.send({ id: request.params.id, revoked: true as const });
    },
  );
};
