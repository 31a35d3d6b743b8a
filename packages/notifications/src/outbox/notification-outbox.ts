/**
 * The outbox writer: a side effect the projection runner calls inside each live batch transaction,
 * so a notification row commits exactly when the read-model change that caused it commits
 * (nothing lost, nothing sent that did not happen). A rebuild never calls it, and rows are keyed
 * by a deterministic id with `on conflict do nothing`, so a replayed batch writes nothing new.
 *
 * Only workspaces with a notifyUrl get rows (by default): a workspace that never configured
 * notifications does not pile up undeliverable rows.
 */
import type { BatchSideEffect, ProjectionChange } from '@recon/projections';
import { sql, type Transaction } from 'kysely';
import { notificationsFromChanges, type NewNotification } from './notifications-from-changes';
import type { NotificationsDatabase } from './outbox-tables';

export const DEFAULT_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const INSERT_CHUNK = 500;

export interface NotificationOutboxOptions {
  /** Write rows only for workspaces whose settings have a notifyUrl (default true). */
  readonly onlyConfiguredWorkspaces?: boolean;
  /** How long a notification is retried before it is marked failed (default 24 h). */
  readonly retryWindowMs?: number;
  /** Task severities that notify (default: red only). */
  readonly taskSeverities?: readonly string[];
}

type LeadChange = Extract<ProjectionChange, { kind: 'lead-changed' | 'task-opened' }>;

async function configuredWorkspaces(trx: Transaction<unknown>, workspaceIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql<{ workspace_id: string }>`
    SELECT workspace_id FROM workspace_settings
    WHERE workspace_id = ANY(${[...workspaceIds]}::text[]) AND notify_url IS NOT NULL`.execute(trx);
  return new Set(rows.map((r) => r.workspace_id));
}

/** The gate reasons the batch just wrote (the live generation, read through the public view). */
async function gateReasons(
  trx: Transaction<unknown>,
  changes: readonly LeadChange[],
): Promise<Map<string, string | null>> {
  const leads = changes.filter(
    (c): c is Extract<LeadChange, { kind: 'lead-changed' }> =>
      c.kind === 'lead-changed' &&
      (c.before === null || c.before.mayEnroll !== c.after.mayEnroll || c.before.mustPause !== c.after.mustPause),
  );
  if (leads.length === 0) return new Map();
  const { rows } = await sql<{ workspace_id: string; lead_id: string; reason: string }>`
    SELECT g.workspace_id, g.lead_id, g.reason FROM automation_gates g
    JOIN unnest(${leads.map((c) => c.workspaceId)}::text[], ${leads.map((c) => c.leadId)}::text[]) AS k(workspace_id, lead_id)
      USING (workspace_id, lead_id)`.execute(trx);
  return new Map(rows.map((r) => [`${r.workspace_id}\u0000${r.lead_id}`, r.reason]));
}

/** Inserts notifications, ignoring ids already present; returns how many rows were new. */
export async function insertNotifications(
  trx: Transaction<unknown>,
  notifications: readonly NewNotification[],
  retryWindowMs: number,
): Promise<number> {
  const db = trx as unknown as Transaction<NotificationsDatabase>;
  let inserted = 0;
  for (let i = 0; i < notifications.length; i += INSERT_CHUNK) {
    const chunk = notifications.slice(i, i + INSERT_CHUNK);
    const result = await db
      .insertInto('notification_outbox')
      .values(
        chunk.map((n) => ({
          id: n.id,
          workspace_id: n.workspaceId,
          lead_id: n.leadId,
          type: n.type,
          body: n.body,
          occurred_at: n.occurredAt,
          deadline_at: sql<Date>`now() + ${retryWindowMs}::double precision * interval '1 millisecond'`,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/** The batch side effect to pass to `startProjections({ sideEffects: [notificationOutbox()] })`. */
export function notificationOutbox(options: NotificationOutboxOptions = {}): BatchSideEffect {
  const retryWindowMs = options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
  return async (trx, batch) => {
    let changes = batch.changes.filter((c): c is LeadChange => c.kind === 'lead-changed' || c.kind === 'task-opened');
    if (changes.length === 0) return;
    if (options.onlyConfiguredWorkspaces ?? true) {
      const configured = await configuredWorkspaces(trx, [...new Set(changes.map((c) => c.workspaceId))]);
      changes = changes.filter((c) => configured.has(c.workspaceId));
      if (changes.length === 0) return;
    }
    const notifications = notificationsFromChanges(changes, batch.events, {
      gateReasons: await gateReasons(trx, changes),
      ...(options.taskSeverities !== undefined ? { taskSeverities: options.taskSeverities } : {}),
    });
    if (notifications.length > 0) await insertNotifications(trx, notifications, retryWindowMs);
  };
}
