/**
 * `GET /v1/me`: who the Bearer credential is. The operator page signs in with the key alone and
 * learns its workspace here; integrations (`@recon/client`) use it to find theirs. Never the key
 * or its hash: the key's id and label only.
 */
import { getApiKeyInfo } from '@recon/workspaces';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app-services';

export const MeResponse = z
  .object({
    kind: z.enum(['operator', 'admin']),
    workspaceId: z.string().optional(),
    keyId: z.string().optional(),
    label: z.string().optional(),
  })
  .meta({
    examples: [
      { kind: 'operator', workspaceId: 'ws_8f14e45fceea167a9a36', keyId: 'key_1c383cd30b7c298a', label: 'CRM sync' },
    ],
  });

export const meRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  app.get(
    '/v1/me',
    {
      config: { auth: 'authenticated' },
      schema: {
        summary: 'Who the Bearer credential is: the admin, or an operator key with its workspace',
        response: { 200: MeResponse },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === null || principal.kind === 'admin') return reply.send({ kind: 'admin' });
      const info = await getApiKeyInfo(services.db, principal.keyId);
      return reply.send({
        kind: 'operator',
        workspaceId: principal.workspaceId,
        keyId: principal.keyId,
        ...(info !== null ? { label: info.label } : {}),
      });
    },
  );
};
