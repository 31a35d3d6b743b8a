/**
 * Turns what a projection batch changed into notifications (pure). A lead whose booking state
 * changed gets `lead.booking_state_changed`; a lead whose gate (mayEnroll/mustPause) changed gets
 * `lead.gate_changed`; a red review task that opened gets `task.opened`. A lead seen for the first
 * time is compared with a never-seen lead (unknown, may not enroll, no pause), so registering a
 * plain lead notifies nothing.
 *
 * Each notification is keyed by the batch event that last touched the lead (the one that brought
 * it to its new state): ids are stable for a given batch, and two committed batches never share
 * an event, so two real changes never share an id.
 */
import type { ProjectedEvent, ProjectionChange } from '@recon/projections';
import { notificationId } from './idempotency-id';
import type { NotificationBody, NotificationType } from './notification-body';

export interface NewNotification {
  readonly id: string;
  readonly type: NotificationType;
  readonly workspaceId: string;
  readonly leadId: string;
  readonly occurredAt: string;
  /** The JSON text sent (serialized once, so every attempt signs the same bytes). */
  readonly body: string;
}

const NEVER_SEEN = { bookingState: 'unknown', mayEnroll: false, mustPause: false } as const;

/** The last event of the batch that concerns the lead (else the workspace, else the batch). */
export function triggeringEvent(
  events: readonly ProjectedEvent[],
  workspaceId: string,
  leadId: string,
): ProjectedEvent | undefined {
  let sameWorkspace: ProjectedEvent | undefined;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const e = events[i];
    if (e === undefined) continue;
    const d = e.event.data as { workspaceId?: string; leadId?: string | null };
    if (d.workspaceId !== workspaceId) continue;
    if (d.leadId === leadId) return e;
    sameWorkspace ??= e;
  }
  return sameWorkspace ?? events[events.length - 1];
}

function make(body: NotificationBody): NewNotification {
  return {
    id: body.id,
    type: body.type,
    workspaceId: body.workspaceId,
    leadId: body.leadId,
    occurredAt: body.occurredAt,
    body: JSON.stringify(body),
  };
}

export interface FromChangesOptions {
  /** The gate's reason after the batch, per `${workspaceId}\u0000${leadId}` (null when unknown). */
  readonly gateReasons?: ReadonlyMap<string, string | null>;
  /** Task severities that notify (default: red only). */
  readonly taskSeverities?: readonly string[];
}

export function notificationsFromChanges(
  changes: readonly ProjectionChange[],
  events: readonly ProjectedEvent[],
  options: FromChangesOptions = {},
): NewNotification[] {
  const out: NewNotification[] = [];
  const severities = options.taskSeverities ?? ['red'];
  for (const change of changes) {
    if (change.kind === 'link-requested') continue;
    const trigger = triggeringEvent(events, change.workspaceId, change.leadId);
    if (trigger === undefined) continue;
    const envelope = (type: NotificationType, taskId?: string) => ({
      id: notificationId({
        eventId: trigger.recorded.id,
        type,
        workspaceId: change.workspaceId,
        leadId: change.leadId,
        ...(taskId !== undefined ? { taskId } : {}),
      }),
      workspaceId: change.workspaceId,
      leadId: change.leadId,
      occurredAt: trigger.recorded.recordedAt.toISOString(),
    });
    if (change.kind === 'task-opened') {
      if (!severities.includes(change.severity)) continue;
      out.push(
        make({
          ...envelope('task.opened', change.taskId),
          type: 'task.opened',
          data: { taskId: change.taskId, kind: change.taskKind, severity: change.severity },
        }),
      );
      continue;
    }
    const before = change.before ?? NEVER_SEEN;
    const after = change.after;
    if (before.bookingState !== after.bookingState) {
      out.push(
        make({
          ...envelope('lead.booking_state_changed'),
          type: 'lead.booking_state_changed',
          data: { before: change.before?.bookingState ?? null, after: after.bookingState },
        }),
      );
    }
    if (before.mayEnroll !== after.mayEnroll || before.mustPause !== after.mustPause) {
      const reason = options.gateReasons?.get(`${change.workspaceId}\u0000${change.leadId}`) ?? null;
      out.push(
        make({
          ...envelope('lead.gate_changed'),
          type: 'lead.gate_changed',
          data: {
            before:
              change.before === null
                ? null
                : { mayEnroll: change.before.mayEnroll, mustPause: change.before.mustPause },
            after: { mayEnroll: after.mayEnroll, mustPause: after.mustPause, reason },
            bookingState: after.bookingState,
          },
        }),
      );
    }
  }
  return out;
}
