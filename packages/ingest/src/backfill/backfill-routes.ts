/**
 * Backfill over HTTP (operator key of the workspace, by the app's auth hook), as a Fastify plugin:
 * - `POST /v1/workspaces/:ws/backfills` `{ providers?, from?, to? }` → 202 `{ id }`; the job runs in
 *   this process in the background (and stays resumable: see runBackfill / resumeBackfills).
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
import { cancelBackfillJob, createBackfillJob, getBackfillJob } from './backfill-jobs';
import { toBackfillView } from './backfill-view';
import { runBackfill, type RunBackfillOptions } from './run-backfill';

export interface BackfillRoutesDeps {
  readonly reconcile: ReconcileDeps;
  readonly sendError: SendError;
  /** Runner settings for jobs started by the route. */
  readonly runner?: Omit<RunBackfillOptions, 'jobId' | 'signal' | 'onProgress'>;
  /** Errors of background runs (a bug or the database down); ids and codes only. */
  readonly onRunError?: (jobId: string, error: unknown) => void;
}

const Instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

export const BackfillBody = z
  .strictObject({
    providers: z
      .array(z.enum(providerNames as [Provider, ...Provider[]]))
      .min(1)
      .max(providerNames.length)
      .optional(),
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .refine((b) => b.from === undefined || b.to === undefined || Date.parse(b.from) < Date.parse(b.to), {
    message: 'RANGE_INVALID',
    path: ['to'],
  });

const WsParams = z.object({ ws: z.string().min(1).max(64) });
const JobParams = WsParams.extend({ id: z.string().min(1).max(100) });

export function backfillRoutes(deps: BackfillRoutesDeps): FastifyPluginAsync {
  const running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  const db = reconcileDb(deps.reconcile.db);
  return async (app) => {
    app.addHook('onClose', async () => {
      for (const r of running.values()) r.abort.abort();
      await Promise.all([...running.values()].map((r) => r.done.catch(() => undefined)));
    });

    app.post(
      '/v1/workspaces/:ws/backfills',
      { schema: { params: WsParams, body: BackfillBody.optional() } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws } = request.params as z.infer<typeof WsParams>;
        const body = (request.body ?? {}) as z.infer<typeof BackfillBody>;
        const job = await createBackfillJob(db, {
          workspaceId: ws,
          providers: [...new Set<Provider>(body.providers ?? providerNames)],
          from: body.from ?? null,
          to: body.to ?? null,
          now: deps.reconcile.clock(),
        });
        const abort = new AbortController();
        const done = runBackfill(deps.reconcile, { ...deps.runner, jobId: job.id, signal: abort.signal })
          .catch((error: unknown) => deps.onRunError?.(job.id, error))
          .finally(() => running.delete(job.id));
        running.set(job.id, { abort, done });
        request.log.info({ backfill: job.id }, 'backfill started');
        return reply.code(202).send({ id: job.id });
      },
    );

    app.get(
      '/v1/workspaces/:ws/backfills/:id',
      { schema: { params: JobParams } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws, id } = request.params as z.infer<typeof JobParams>;
        const row = await getBackfillJob(db, ws, id);
        if (!row) return deps.sendError(reply, 'BACKFILL_NOT_FOUND', 'No such backfill in this workspace');
        return reply.send(toBackfillView(row, deps.reconcile.clock()));
      },
    );

    app.post(
      '/v1/workspaces/:ws/backfills/:id/cancel',
      { schema: { params: JobParams } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws, id } = request.params as z.infer<typeof JobParams>;
        const row = await cancelBackfillJob(db, ws, id);
        if (!row) return deps.sendError(reply, 'BACKFILL_NOT_FOUND', 'No such backfill in this workspace');
        return reply.send(toBackfillView(row, deps.reconcile.clock()));
      },
    );
  };
}
