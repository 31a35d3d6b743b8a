/**
 * Refuses request bodies and route parameters holding text PostgreSQL cannot store (NUL, lone
 * surrogates) before any route runs: such input can never succeed, so it is a 400, not an outage.
 */
import type { FastifyInstance } from 'fastify';
import { findUnstorableText } from '@recon/ingest';
import { sendError } from '@recon/http';

export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const inParams = findUnstorableText(request.params);
    const inBody = Buffer.isBuffer(request.body) ? null : findUnstorableText(request.body);
    const inQuery = findUnstorableText(request.query);
    const where =
      inParams !== null
        ? ['params', inParams]
        : inBody !== null
          ? ['body', inBody]
          : inQuery !== null
            ? ['querystring', inQuery]
            : null;
    if (where === null) return;
    return sendError(reply, 'VALIDATION_FAILED', 'Text holds characters that cannot be stored', [
      { in: where[0]!, path: where[1]!, code: 'UNSTORABLE_TEXT' },
    ]);
  });
}
