/**
 * GET /docs: the OpenAPI 3 document generated from the routes' zod schemas (with their examples).
 * Must be installed on the root instance before other routes are added (swagger collects routes
 * as they are declared).
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function installOpenApiDocs(app: FastifyInstance): Promise<void> {
  if (app.hasDecorator('swagger')) return; // someone else set it up already
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'recon',
        description: 'Makes "meeting booked" a verified state. Operator key or admin token as Bearer.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(app.swagger()),
  );
}
