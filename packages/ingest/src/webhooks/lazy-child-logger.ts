/**
 * The webhook routes' request logger, made only when something is logged. Fastify gives every
 * request a child logger; with pino that is a `child()` call that serializes the request id
 * through the redaction, on every delivery — for routes that log only a refusal, or one info line
 * per delivery when info is on. This factory returns a stand-in that creates the real child on
 * the first call at an enabled level (never, at `warn` and above, for an accepted delivery).
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

type ChildLoggerFactory = Parameters<FastifyInstance['setChildLoggerFactory']>[0];

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type Level = (typeof LEVELS)[number];

/** pino's numeric levels, when the logger is pino; other loggers always get their real child. */
function levelValues(logger: FastifyBaseLogger): Record<string, number> | undefined {
  return (logger as { levels?: { values?: Record<string, number> } }).levels?.values;
}

export const lazyChildLoggerFactory: ChildLoggerFactory = (logger, bindings, options) => {
  let child: FastifyBaseLogger | undefined;
  const real = (): FastifyBaseLogger => {
    if (child === undefined) child = logger.child(bindings, options);
    return child;
  };
  const values = levelValues(logger);
  const threshold = values?.[options.level ?? logger.level];
  const enabled = (level: Level): boolean =>
    child !== undefined || values === undefined || threshold === undefined || (values[level] ?? 0) >= threshold;
  const lazy = {
    get level(): string {
      return child?.level ?? options.level ?? logger.level;
    },
    set level(level: string) {
      real().level = level;
    },
    child: (b: Record<string, unknown>, o?: Record<string, unknown>) => real().child(b, o),
    silent: () => undefined,
  } as Record<string, unknown>;
  for (const level of LEVELS) {
    lazy[level] = (...args: unknown[]): void => {
      if (enabled(level)) (real()[level] as (...a: unknown[]) => void)(...args);
    };
  }
  return lazy as unknown as FastifyBaseLogger;
};
