import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from './error-codes';
import { RETRY_AFTER_SECONDS, sendError, UNAVAILABLE_RETRY_AFTER_SECONDS } from './send-error';

const app = Fastify({ logger: false });
app.get('/fail/:code', async (request, reply) =>
  sendError(reply, (request.params as { code: ErrorCode }).code, 'internal detail', [{ path: 'a.b', code: 'invalid' }]),
);
beforeAll(() => app.ready());
afterAll(() => app.close());

describe('sendError', () => {
  it('answers every code with its status and the uniform body', async () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const res = await app.inject({ method: 'GET', url: `/fail/${code}` });
      expect(res.statusCode, code).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.details).toEqual([{ path: 'a.b', code: 'invalid' }]);
    }
  });
  it('never echoes the message of a 500 and sets Retry-After on 429 and 503', async () => {
    expect((await app.inject({ method: 'GET', url: '/fail/INTERNAL_ERROR' })).json().error.message).toBe(
      'Internal error',
    );
    expect((await app.inject({ method: 'GET', url: '/fail/RATE_LIMITED' })).headers['retry-after']).toBe(
      String(RETRY_AFTER_SECONDS),
    );
    expect((await app.inject({ method: 'GET', url: '/fail/DATABASE_UNAVAILABLE' })).headers['retry-after']).toBe(
      String(UNAVAILABLE_RETRY_AFTER_SECONDS),
    );
  });
  it('takes only codes of the table (checked by the compiler)', () => {
    const reply = {
      code: () => reply,
      type: () => reply,
      send: () => reply,
      hasHeader: () => true,
      header: () => reply,
    };
    // @ts-expect-error — a code missing from ERROR_STATUS does not compile.
    const call = () => sendError(reply as never, 'NO_SUCH_CODE', 'x');
    expect(typeof call).toBe('function');
  });
});
