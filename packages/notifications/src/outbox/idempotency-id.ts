/**
 * Deterministic notification ids (UUIDv5): derived from the event that triggered the change, the
 * notification type and its subject, so writing the same change twice yields the same id and the
 * outbox keeps one row (`on conflict do nothing`).
 */
import { createHash } from 'node:crypto';

/** Namespace of notification ids (a fixed random UUID). Never change it: stored ids would stop matching. */
export const NOTIFICATION_ID_NAMESPACE = 'c3a1f0d2-5b6e-4c8f-8d2a-91e7b4f0a6c5';

function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function notificationId(parts: { eventId: string; type: string; workspaceId: string; leadId: string; taskId?: string }): string {
  return uuidV5(JSON.stringify([parts.eventId, parts.type, parts.workspaceId, parts.leadId, parts.taskId ?? null]), NOTIFICATION_ID_NAMESPACE);
}
