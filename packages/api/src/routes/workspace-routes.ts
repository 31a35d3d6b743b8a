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
        body: z.strictObject({ name: z.string().trim().min(1).max(200) }),
        response: { 201: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }) },
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
        params: WsParams,
        body: z.strictObject({ label: z.string().trim().min(1).max(200) }),
        response: { 201: z.object({ id: z.string(), key: z.string() }) },
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
        params: WsParams.extend({ id: z.string().min(1).max(100) }),
        response: { 200: z.object({ id: z.string(), revoked: z.literal(true) }) },
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
