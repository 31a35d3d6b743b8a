/**
 * The app's single error handler: every failure Fastify or a route raises becomes the uniform
 * error body. Validation errors list where and which rule failed, never the input (it may be PII);
 * a dependency that is unreachable (database, event store) is 503 with Retry-After — or the code
 * the route names in `config.unavailableCode` (GHL webhooks: 429, the only status GHL retries);
 * a read model whose table or column this version reads is not live yet (the first rebuild after
 * an upgrade that changed its tables is still filling the new generation) is 503 READ_MODEL_REBUILDING;
 * anything unexpected is logged with the request id and answered as a bare 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { createRateLimitedLog, describeFailure, unavailableDependency, type RateLimitedLog } from '@recon/resilience';
// `config.unavailableCode` (an ErrorCode) is declared by @recon/http's route-config.ts.
import { sendError, type ErrorCode, type ErrorDetail } from '@recon/http';

const CUSTOM_CODE = /^[A-Z][A-Z0-9_]{2,60}$/;

function validationDetails(error: FastifyError): ErrorDetail[] {
  if (!hasZodFastifySchemaValidationErrors(error)) return [];
  const where = (error as { validationContext?: string }).validationContext;
  return error.validation.slice(0, 50).map((v) => ({
    ...(where !== undefined ? { in: where } : {}),
    path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
    // Our own refinements carry a SCREAMING_SNAKE code as message; zod's texts are dropped.
    code: typeof v.message === 'string' && CUSTOM_CODE.test(v.message) ? v.message : v.keyword,
  }));
}

function codeForClientError(error: FastifyError): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'BODY_TOO_LARGE', message: 'Request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content type' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'MALFORMED_JSON', message: 'Body is empty' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'MALFORMED_JSON', message: 'Body is not valid JSON' };
    default:
      break;
  }
  if (error instanceof SyntaxError || error.name === 'SyntaxError')
    return { code: 'MALFORMED_JSON', message: 'Body is not valid JSON' };
  if (error.statusCode === 413) return { code: 'BODY_TOO_LARGE', message: 'Request body is too large' };
  if (error.statusCode === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content type' };
  if (error.statusCode === 404) return { code: 'NOT_FOUND', message: 'Not found' };
  if (error.statusCode === 405) return { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' };
  return { code: 'BAD_REQUEST', message: 'Bad request' };
}

function answerUnavailable(
  dependency: 'DATABASE_UNAVAILABLE' | 'EVENT_STORE_UNAVAILABLE',
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  failures: RateLimitedLog | null,
): FastifyReply {
  const routeCode = request.routeOptions.config.unavailableCode;
  const code = routeCode ?? dependency;
  // One line per dependency per interval, not one per refused request.
  failures?.failure(
    dependency,
    { cause: describeFailure(error) },
    'dependency unavailable; answering retry-later',
    'warn',
  );
  return sendError(
    reply,
    code,
    dependency === 'DATABASE_UNAVAILABLE'
      ? 'The database is unavailable; retry later'
      : 'The event store is unavailable; retry later',
  );
}

/** PostgreSQL's undefined_table / undefined_column: this version's read model is not live yet. */
const READ_MODEL_NOT_LIVE = new Set(['42P01', '42703']);

function isReadModelNotLive(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && READ_MODEL_NOT_LIVE.has(code);
}

export function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  failures: RateLimitedLog | null = null,
): FastifyReply {
  if (error.validation !== undefined) {
    const details = validationDetails(error);
    request.log.info({ code: 'VALIDATION_FAILED', details }, 'client error');
    return sendError(
      reply,
      'VALIDATION_FAILED',
      'Request does not match the schema',
      details.length > 0 ? details : [{ path: '', code: 'invalid' }],
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const mapped = codeForClientError(error);
    request.log.info({ code: mapped.code, fastifyCode: error.code }, 'client error');
    return sendError(reply, mapped.code, mapped.message);
  }
  const dependency = unavailableDependency(error);
  if (dependency !== null) return answerUnavailable(dependency, error, request, reply, failures);
  if (isReadModelNotLive(error)) {
    failures?.failure('READ_MODEL_REBUILDING', { cause: describeFailure(error) }, 'read model not live yet', 'warn');
    return sendError(
      reply,
      request.routeOptions.config.unavailableCode ?? 'READ_MODEL_REBUILDING',
      'A read model is being rebuilt after an upgrade; retry later',
    );
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendError(reply, 'INTERNAL_ERROR', 'Internal error');
}

export function installErrorHandling(app: FastifyInstance): void {
  const failures = createRateLimitedLog(app.log);
  app.setErrorHandler((error: FastifyError, request, reply) => handleError(error, request, reply, failures));
  app.setNotFoundHandler((request, reply) => sendError(reply, 'NOT_FOUND', 'No such route'));
}
