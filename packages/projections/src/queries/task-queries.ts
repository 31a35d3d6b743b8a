/** Review tasks, keyset-paged by (created_at, task id). */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { FollowUpTasksTable } from '../core/core-tables';
import { decodeCursor, encodeCursor, pageLimit, type PageResult } from './cursor';
import type { ProjectionsDatabase } from './projections-database';

export interface TaskItem {
  readonly id: string;
  readonly leadId: string;
  readonly kind: string;
  readonly severity: string;
  readonly status: string;
  readonly provider: string;
  readonly appointmentId: string;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly note: string | null;
}

export function toTaskItem(r: Selectable<FollowUpTasksTable>): TaskItem {
  return {
    id: r.task_id,
    leadId: r.lead_id,
    kind: r.kind,
    severity: r.severity,
    status: r.status,
    provider: r.provider,
    appointmentId: r.provider_appointment_id,
    createdAt: r.created_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    note: r.note,
  };
}

const TaskCursor = z.tuple([z.iso.datetime(), z.string()]);

export async function listTasks(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  query: {
    readonly status?: 'open' | 'resolved';
    readonly kind?: string;
    readonly severity?: string;
    readonly leadId?: string;
    readonly limit?: number;
    readonly cursor?: string | null;
  } = {},
): Promise<PageResult<TaskItem>> {
  const cursor = decodeCursor(query.cursor, TaskCursor);
  if (!cursor.ok) return cursor;
  const limit = pageLimit(query.limit);
  let q = db.selectFrom('follow_up_tasks').selectAll().where('workspace_id', '=', workspaceId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
  if (query.severity !== undefined) q = q.where('severity', '=', query.severity);
  if (query.leadId !== undefined) q = q.where('lead_id', '=', query.leadId);
  if (cursor.value !== null) {
    const [createdAt, id] = cursor.value;
    q = q.where((eb) => eb(eb.refTuple('created_at', 'task_id'), '>', eb.tuple(new Date(createdAt), id)));
  }
  const rows = await q
    .orderBy('created_at')
    .orderBy('task_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page[page.length - 1] : undefined;
  return {
    ok: true,
    value: {
      items: page.map(toTaskItem),
      nextCursor: last === undefined ? null : encodeCursor([last.created_at.toISOString(), last.task_id]),
    },
  };
}

/** One task (for the resolve route: which lead's stream gets the FollowUpTaskResolved event). */
export async function getTask(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  taskId: string,
): Promise<TaskItem | null> {
  const row = await db
    .selectFrom('follow_up_tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('task_id', '=', taskId)
    .executeTakeFirst();
  return row === undefined ? null : toTaskItem(row);
}
