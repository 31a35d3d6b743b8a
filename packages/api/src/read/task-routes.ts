/** Review tasks: list (keyset) and resolve (an event on the lead's stream; twice is a no-op). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getTask, listTasks, type ProjectionsDatabase } from '@recon/projections';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { withPosition } from '../routes/position-header';
import { minPositionGuard } from './min-position';
import { sendReadError } from './read-errors';
import { ErrorResponse, ResolveBody, ResolveResult, TaskPage, TaskParams, TasksQuery, WsParams } from './read-schemas';
import { resolveTask } from './resolve-task';

export const taskRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const db = services.db as unknown as Kysely<ProjectionsDatabase>;

  app.get(
    '/v1/workspaces/:ws/tasks',
    {
      preHandler: minPositionGuard({ db: db as Kysely<unknown>, store: services.store }),
      schema: {
        summary: 'Review tasks by status (default open), kind, severity and lead, oldest first (keyset paged)',
        tags: ['read'],
        params: WsParams,
        querystring: TasksQuery,
        response: { 200: TaskPage, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { status, kind, severity, leadId, limit, cursor } = request.query;
      const page = await listTasks(db, request.params.ws, {
        status,
        ...(kind !== undefined ? { kind } : {}),
        ...(severity !== undefined ? { severity } : {}),
        ...(leadId !== undefined ? { leadId } : {}),
        limit,
        cursor: cursor ?? null,
      });
      if (!page.ok)
        return sendReadError(reply, 'CURSOR_INVALID', 'cursor is not one this API issued', [
          { path: 'cursor', code: 'CURSOR_INVALID' },
        ]);
      return reply.send(page.value);
    },
  );

  app.post(
    '/v1/workspaces/:ws/tasks/:taskId/resolve',
    {
      schema: {
        summary: 'Resolve a review task (appends FollowUpTaskResolved; resolving twice is a no-op 200)',
        tags: ['read'],
        params: TaskParams,
        body: ResolveBody.optional(),
        response: { 200: ResolveResult, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { ws, taskId } = request.params;
      const task = await getTask(db, ws, taskId);
      if (task === null) return sendReadError(reply, 'TASK_NOT_FOUND', 'No such task');
      if (task.status === 'resolved') return reply.send({ ...task, alreadyResolved: true, position: null });
      const principal = request.principal;
      const resolvedAt = services.clock().toISOString();
      const note = request.body?.note ?? null;
      const resolvedBy = principal?.kind === 'operator' ? principal.keyId : 'admin';
      const result = await resolveTask(services.store, {
        workspaceId: ws,
        leadId: task.leadId,
        taskId,
        resolvedBy,
        note,
        resolvedAt,
      });
      if (!result.ok) return sendReadError(reply, result.code, 'The event store is unavailable; retry later');
      request.log.info({ appended: result.appended }, 'task resolved');
      withPosition(reply, result.position);
      return reply.send({
        ...task,
        status: 'resolved',
        resolvedAt: result.appended ? resolvedAt : (task.resolvedAt ?? resolvedAt),
        resolvedBy: result.appended ? resolvedBy : (task.resolvedBy ?? resolvedBy),
        note: result.appended ? note : task.note,
        alreadyResolved: !result.appended,
        position: result.position,
      });
    },
  );
};
