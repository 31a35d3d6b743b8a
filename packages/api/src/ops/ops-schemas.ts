/**
 * What the probes and /metrics answer, for the API reference (ops-routes.ts). The readiness body
 * is described loosely (objects keep fields added later: a probe must never fail on its own
 * schema); ops/readiness.ts builds it.
 */
import { z } from 'zod';

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ examples: [{ status: 'ok' }] });

const ProjectionCheck = z.looseObject({
  name: z.string(),
  live: z.boolean(),
  runner: z.boolean(),
  lagSeconds: z.number(),
  running: z.boolean(),
});

export const ReadinessResponse = z
  .looseObject({
    status: z.enum(['ready', 'not_ready']),
    checks: z.looseObject({ database: z.boolean(), eventStore: z.boolean(), projections: z.array(ProjectionCheck) }),
    reasons: z
      .array(z.looseObject({ code: z.string() }))
      .describe(
        'DATABASE_UNREACHABLE, EVENT_STORE_UNREACHABLE, PROJECTION_NOT_RUNNING (projection), ' +
          'PROJECTION_FAILING (projection, failure, since), LONG_TRANSACTION (database, ageSeconds)',
      ),
  })
  .describe('200 when ready, 503 (Retry-After: 5) with the reasons when not');

const projection = (name: string, running: boolean, lagSeconds: number) => ({
  name,
  live: true,
  runner: running,
  lagSeconds,
  running,
});

export const READY_EXAMPLE = {
  status: 'ready',
  checks: { database: true, eventStore: true, projections: [projection('core', true, 0)] },
  reasons: [],
};
export const NOT_READY_EXAMPLE = {
  status: 'not_ready',
  checks: { database: true, eventStore: true, projections: [projection('core', false, 0)] },
  reasons: [{ code: 'PROJECTION_NOT_RUNNING', projection: 'core' }],
};

export const MetricsText = z.string().meta({
  description: 'Prometheus text exposition format 0.0.4 (docs/observability.md lists the metrics)',
  examples: [
    [
      '# HELP recon_event_store_up 1 when the event store answered the last scrape',
      '# TYPE recon_event_store_up gauge',
      'recon_event_store_up 1',
      'recon_projection_lag_events{projection="core"} 0',
      '',
    ].join('\n'),
  ],
});
