/**
 * The operator's view of outbound notifications: `GET /v1/workspaces/:ws/notifications` (keyset
 * paged, filter by status) and `POST /v1/workspaces/:ws/notifications/:id/redeliver`. Both sit
 * under the workspace prefix, so the app's auth hook scopes them (operator key of :ws or admin)
 * and its route registry lists them. Errors go through the one `sendError` of @recon/http.
 */
import { sendError } from '@recon/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { NotificationBody } from '../outbox/notification-body';
import { DEFAULT_RETRY_WINDOW_MS } from '../outbox/notification-outbox';
import { listNotifications, redeliverNotification } from '../queries/notification-queries';

export interface NotificationRoutesConfig {
  /** Retry window a redeliver starts (default 24 h). */
  readonly retryWindowMs?: number;
  /** Called after a redeliver (e.g. `worker.kick()` when the worker runs in this process). */
  readonly onRedeliver?: () => void;
}

/** What the plugin needs from the app's services (buildApp passes AppServices). */
export interface NotificationRoutesServices {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
}

const WsParams = z.object({ ws: z.string().min(1).max(64) });

const NotificationItemSchema = z.object({
  id: z.string(),
  type: z.string(),
  leadId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  occurredAt: z.string(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), httpStatus: z.number().int().nullable() }).nullable(),
  payload: NotificationBody,
});

const itemExample = {
  id: '0b6c2f1e-8d7a-5c3b-9e21-4f6a8b0c1d2e',
  type: 'lead.booking_state_changed',
  leadId: 'crm-lead-42',
  status: 'failed',
  attempts: 31,
  occurredAt: '2030-06-18T15:02:11.000Z',
  createdAt: '2030-06-18T15:02:11.250Z',
  nextAttemptAt: null,
  deliveredAt: null,
  failedAt: '2030-06-19T15:02:11.250Z',
  lastError: { code: 'HTTP_500', httpStatus: 500 },
  payload: {
    id: '0b6c2f1e-8d7a-5c3b-9e21-4f6a8b0c1d2e',
    workspaceId: 'ws_3f2a9c',
    leadId: 'crm-lead-42',
    occurredAt: '2030-06-18T15:02:11.000Z',
    type: 'lead.booking_state_changed',
    data: { before: 'booked', after: 'canceled' },
  },
};
const NotificationItemDoc = NotificationItemSchema.meta({ examples: [itemExample] });
const NotificationPage = z
  .object({ items: z.array(NotificationItemSchema), nextCursor: z.string().nullable() })
  .meta({ examples: [{ items: [itemExample], nextCursor: null }] });

export function notificationRoutes(
  config: NotificationRoutesConfig,
): FastifyPluginAsyncZod<NotificationRoutesServices> {
  return async (app, services) => {
    app.get(
      '/v1/workspaces/:ws/notifications',
      {
        schema: {
          summary: 'Outbound notifications of a workspace (keyset paged)',
          tags: ['notifications'],
          params: WsParams,
          querystring: z.strictObject({
            status: z.enum(['pending', 'delivered', 'failed']).optional(),
            leadId: z.string().min(1).max(200).optional(),
            limit: z.coerce.number().int().min(1).max(200).optional(),
            cursor: z.string().max(200).optional(),
          }),
          response: { 200: NotificationPage },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const page = await listNotifications(services.db, request.params.ws, {
          ...(q.status !== undefined ? { status: q.status } : {}),
          ...(q.leadId !== undefined ? { leadId: q.leadId } : {}),
          ...(q.limit !== undefined ? { limit: q.limit } : {}),
          cursor: q.cursor ?? null,
        });
        if (!page.ok)
          return sendError(reply, 'VALIDATION_FAILED', 'The cursor is not one this list gave out', [
            { in: 'querystring', path: 'cursor', code: page.code },
          ]);
        return reply.send({
          items: [...page.value.items] as z.infer<typeof NotificationItemSchema>[],
          nextCursor: page.value.nextCursor,
        });
      },
    );

    app.post(
      '/v1/workspaces/:ws/notifications/:id/redeliver',
      {
        schema: {
          summary: 'Send a notification again (same idempotency id, new 24 h retry window)',
          tags: ['notifications'],
          params: WsParams.extend({ id: z.string().min(1).max(100) }),
          response: { 202: NotificationItemDoc },
        },
      },
      async (request, reply) => {
        const result = await redeliverNotification(
          services.db,
          request.params.ws,
          request.params.id,
          config.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS,
        );
        if (!result.ok) return sendError(reply, result.code, 'No such notification in this workspace');
        config.onRedeliver?.();
        return reply.code(202).send(result.value as z.infer<typeof NotificationItemSchema>);
      },
    );
  };
}
