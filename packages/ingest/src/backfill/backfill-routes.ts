/**
 * Backfill over HTTP (operator key of the workspace, by the app's auth hook), as a Fastify plugin:
 * - `POST /v1/workspaces/:ws/backfills` `{ providers?, from?, to? }` → 202 `{ id }`; the job runs in
 *   this process in the background (and stays resumable: see runBackfill / resumeBackfills). One
 *   unfinished job per workspace: another → 409 `BACKFILL_RUNNING` (details name the running job).
 *   The range is bounded (see resolveBackfillRange): inverted → 400 `BACKFILL_RANGE_INVALID`,
 *   longer than the maximum → 400 `BACKFILL_RANGE_TOO_LONG`. A run that fails is logged (job id,
 *   workspace id, code: no PII) and its job shows `failed` with `errorCode`.
 * - `GET /v1/workspaces/:ws/backfills/:id` → status, leads done/total, events appended, failures
 *   by code, rate, ETA.
 * - `POST /v1/workspaces/:ws/backfills/:id/cancel` → the job stops after its current page.
 * Closing the app pauses running jobs after their page (their cursor is saved; they resume later).
 */
import type { SendError } from '@recon/http';
import type { Provider } from '@recon/domain';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { providerNames } from '../providers/registry';
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { cancelBackfillJob, getBackfillJob } from './backfill-jobs';
import { DEFAULT_BACKFILL_MAX_DAYS, resolveBackfillRange } from './backfill-range';
import { toBackfillView } from './backfill-view';
import { logBackfillCrash, logBackfillResult, type BackfillLog } from './backfill-log';
import { runBackfill, type RunBackfillOptions } from './run-backfill';
import { startBackfillJob } from './start-backfill-job';

export interface BackfillRoutesDeps {
  readonly reconcile: ReconcileDeps;
  readonly sendError: SendError;
  /** Runner settings for jobs started by the route. */
  readonly runner?: Omit<RunBackfillOptions, 'jobId' | 'signal' | 'onProgress'>;
  /** Errors of background runs (a bug or the database down); ids and codes only. */
  readonly onRunError?: (jobId: string, error: unknown) => void;
  /** Longest range a request may ask for, days (RECON_BACKFILL_MAX_DAYS; default 730). */
  readonly maxDays?: number;
  /** Where failed runs are logged (default: the app's logger). */
  readonly log?: BackfillLog;
}

const Instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

export const BackfillBody = z.strictObject({
  providers: z
    .array(z.enum(providerNames as [Provider, ...Provider[]]))
    .min(1)
    .max(providerNames.length)
    .optional(),
  from: Instant.optional(),
  to: Instant.optional(),
});

const WsParams = z.object({ ws: z.string().min(1).max(64) });
const JobParams = WsParams.extend({ id: z.string().min(1).max(100) });

/** What the API answers for a job (backfill-view.ts builds it). */
const BackfillViewSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    status: z.string().describe('queued, running, completed, canceled or failed'),
    providers: z.array(z.string()),
    from: z.string().nullable(),
    to: z.string().nullable(),
    phase: z.string(),
    leadsDone: z.number(),
    leadsTotal: z.number(),
    eventsAppended: z.number(),
    failures: z.record(z.string(), z.number()).describe('failed lead checks by code'),
    ratePerMinute: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    cancelRequested: z.boolean(),
    errorCode: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        id: 'bf_3b5d5c3712955042a1f0c7e9d4b86e2f',
        workspaceId: 'ws_8f14e45fceea167a9a36',
        status: 'running',
        providers: ['ghl', 'calendly'],
        from: '2030-03-01T00:00:00.000Z',
        to: '2030-06-01T00:00:00.000Z',
        phase: 'leads',
        leadsDone: 1_200,
        leadsTotal: 5_000,
        eventsAppended: 310,
        failures: { PROVIDER_RATE_LIMITED: 2 },
        ratePerMinute: 400,
        etaSeconds: 570,
        createdAt: '2030-06-01T10:00:00.000Z',
        startedAt: '2030-06-01T10:00:01.000Z',
        finishedAt: null,
        cancelRequested: false,
        errorCode: null,
      },
    ],
  });

export function backfillRoutes(deps: BackfillRoutesDeps): FastifyPluginAsync {
  const running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  const db = reconcileDb(deps.reconcile.db);
  return async (app) => {
    const log: BackfillLog = deps.log ?? app.log;
    app.addHook('onClose', async () => {
      for (const r of running.values()) r.abort.abort();
      await Promise.all([...running.values()].map((r) => r.done.catch(() => undefined)));
    });

    app.post(
      '/v1/workspaces/:ws/backfills',
      {
        schema: {
          summary:
            "Start a backfill of the workspace's history from its providers (one at a time; runs in the background)",
          params: WsParams,
          // `example`, not `examples`: zod drops `examples` from the input side of a schema with a transform.
          body: BackfillBody.optional().meta({
            example: { providers: ['ghl', 'calendly'], from: '2030-03-01T00:00:00Z', to: '2030-06-01T00:00:00Z' },
          }),
          response: {
            202: z.object({ id: z.string() }).meta({ examples: [{ id: 'bf_3b5d5c3712955042a1f0c7e9d4b86e2f' }] }),
          },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws } = request.params as z.infer<typeof WsParams>;
        const body = (request.body ?? {}) as z.infer<typeof BackfillBody>;
        const now = deps.reconcile.clock();
        const range = resolveBackfillRange(body, deps.maxDays);
        if (!range.ok)
          return deps.sendError(
            reply,
            range.code,
            range.code === 'BACKFILL_RANGE_INVALID'
              ? '`from` must be before `to`'
              : `A backfill covers at most ${deps.maxDays ?? DEFAULT_BACKFILL_MAX_DAYS} days`,
            [{ in: 'body', path: 'to', code: range.code }],
          );
        const started = await startBackfillJob(db, {
          workspaceId: ws,
          providers: [...new Set<Provider>(body.providers ?? providerNames)],
          from: range.from,
          to: range.to,
          now,
        });
        if (!started.ok)
          return deps.sendError(
            reply,
            'BACKFILL_RUNNING',
            'This workspace already has a backfill queued or running; cancel it or wait for it to finish',
            started.runningId === null ? [] : [{ in: 'backfills', path: started.runningId, code: 'BACKFILL_RUNNING' }],
          );
        const job = started.job;
        const ids = { backfill: job.id, workspaceId: ws };
        const abort = new AbortController();
        const done = runBackfill(deps.reconcile, { ...deps.runner, jobId: job.id, signal: abort.signal })
          .then((result) => logBackfillResult(log, ids, result))
          .catch((error: unknown) => {
            logBackfillCrash(log, ids, error);
            deps.onRunError?.(job.id, error);
          })
          .finally(() => running.delete(job.id));
        running.set(job.id, { abort, done });
        request.log.info({ backfill: job.id }, 'backfill started');
        return reply.code(202).send({ id: job.id });
      },
    );

    app.get(
      '/v1/workspaces/:ws/backfills/:id',
      {
        schema: {
          summary: 'A backfill: status, leads done of total, events appended, failures by code, rate and ETA',
          params: JobParams,
          response: { 200: BackfillViewSchema },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws, id } = request.params as z.infer<typeof JobParams>;
        const row = await getBackfillJob(db, ws, id);
        if (!row) return deps.sendError(reply, 'BACKFILL_NOT_FOUND', 'No such backfill in this workspace');
        return reply.send(toBackfillView(row, deps.reconcile.clock()));
      },
    );

    app.post(
      '/v1/workspaces/:ws/backfills/:id/cancel',
      {
        schema: {
          summary: 'Cancel a backfill: it stops after its current page (a queued one at once)',
          params: JobParams,
          response: { 200: BackfillViewSchema },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws, id } = request.params as z.infer<typeof JobParams>;
        const row = await cancelBackfillJob(db, ws, id);
        if (!row) return deps.sendError(reply, 'BACKFILL_NOT_FOUND', 'No such backfill in this workspace');
        return reply.send(toBackfillView(row, deps.reconcile.clock()));
      },
    );
  };
}
