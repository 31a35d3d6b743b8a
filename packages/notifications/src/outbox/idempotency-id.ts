/**
 * Deterministic notification ids (UUIDv5): derived from the event that triggered the change, the
 * notification type and its subject, so writing the same change twice yields the same id and the
 * outbox keeps one row (`on conflict do nothing`).
 */
import { v5 as uuidV5 } from 'uuid';

/** Namespace of notification ids (a fixed random UUID). Never change it: stored ids would stop matching. */
export const NOTIFICATION_ID_NAMESPACE = 'c3a1f0d2-5b6e-4c8f-8d2a-91e7b4f0a6c5';

export function notificationId(parts: {
  eventId: string;
  type: string;
  workspaceId: string;
  leadId: string;
  taskId?: string;
}): string {
  return uuidV5(
    JSON.stringify([parts.eventId, parts.type, parts.workspaceId, parts.leadId, parts.taskId ?? null]),
    NOTIFICATION_ID_NAMESPACE,
  );
}
