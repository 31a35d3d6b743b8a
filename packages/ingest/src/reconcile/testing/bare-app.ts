/**
 * Test support: a bare Fastify app that validates with zod like the API's (the API package cannot
 * be imported here: it depends on ingest) and answers coded errors through the one `sendError` of
 * @recon/http, so statuses are the app's. Route plugins of ingest are tested on it over real HTTP.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { ZodType } from 'zod';

/** The app's own error writer (kept under this name for the tests that pass it to plugins). */
export { sendError as testSendError } from '@recon/http';

export async function bareApp(plugin: FastifyPluginAsync): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(({ schema }) => (data) => {
    const r = (schema as ZodType).safeParse(data);
    return r.success ? { value: r.data } : { error: new Error('VALIDATION_FAILED') };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler((error: { message?: string; statusCode?: number }, _req, reply) => {
    const status = error.message === 'VALIDATION_FAILED' || error.statusCode === 400 ? 400 : 500;
    void reply
      .code(status)
      .send({ error: { code: status === 400 ? 'VALIDATION_FAILED' : 'INTERNAL_ERROR', message: 'bad request' } });
  });
  await app.register(plugin);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}
