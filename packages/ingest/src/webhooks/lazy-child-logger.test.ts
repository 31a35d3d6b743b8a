/** The webhook routes' request logger: the real child exists only once something is logged. */
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { lazyChildLoggerFactory } from './lazy-child-logger';

const VALUES = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10, silent: Number.POSITIVE_INFINITY };

function parent(level: string) {
  const lines: [string, unknown[]][] = [];
  const child = Object.fromEntries(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => [l, (...a: unknown[]) => lines.push([l, a])]),
  );
  const logger = { level, levels: { values: VALUES }, child: vi.fn(() => ({ ...child, level })) };
  return { logger: logger as unknown as FastifyBaseLogger, childSpy: logger.child, lines };
}

const make = (logger: FastifyBaseLogger, level?: string) =>
  lazyChildLoggerFactory.call(
    {} as never,
    logger,
    { reqId: 'r1' },
    level === undefined ? {} : { level },
    {} as never,
  ) as FastifyBaseLogger;

describe('lazyChildLoggerFactory', () => {
  it('makes no child for calls below the level, and one (with the bindings) on the first enabled call', () => {
    const { logger, childSpy, lines } = parent('warn');
    const log = make(logger);
    log.info({ status: 'accepted' }, 'calendly webhook');
    log.debug('x');
    expect(childSpy).not.toHaveBeenCalled();
    log.warn({ code: 'X' }, 'refused');
    log.error('boom');
    expect(childSpy).toHaveBeenCalledTimes(1);
    expect(childSpy).toHaveBeenCalledWith({ reqId: 'r1' }, {});
    expect(lines).toEqual([
      ['warn', [{ code: 'X' }, 'refused']],
      ['error', ['boom']],
    ]);
  });

  it("follows the route's own level, and reports the level it logs at", () => {
    const { logger, childSpy, lines } = parent('warn');
    const log = make(logger, 'info');
    expect(log.level).toBe('info');
    log.info('kept');
    expect(childSpy).toHaveBeenCalledWith({ reqId: 'r1' }, { level: 'info' });
    expect(lines).toEqual([['info', ['kept']]]);
  });

  it('logs nothing when silent', () => {
    const { logger, childSpy } = parent('silent');
    make(logger).fatal('x');
    expect(childSpy).not.toHaveBeenCalled();
  });
});
