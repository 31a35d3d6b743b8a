/**
 * What a notification receiver gets: the JSON body recon POSTs to a workspace's notifyUrl. Ids,
 * states and codes only: no email, name or message ever goes into a notification.
 */
import { z } from 'zod';

export const NOTIFICATION_TYPES = ['lead.gate_changed', 'lead.booking_state_changed', 'task.opened'] as const;
export const NotificationType = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationType>;

const Envelope = {
  /** The idempotency id: the same change always has the same id; receivers dedupe by it. */
  id: z.uuid(),
  workspaceId: z.string(),
  leadId: z.string(),
  occurredAt: z.iso.datetime(),
};

const GateSide = z.object({ mayEnroll: z.boolean(), mustPause: z.boolean() });

export const GateChangedNotification = z.object({
  ...Envelope,
  type: z.literal('lead.gate_changed'),
  data: z.object({
    /** null: the lead was first seen in this change. */
    before: GateSide.nullable(),
    after: GateSide.extend({ reason: z.string().nullable() }),
    bookingState: z.string(),
  }),
});

export const BookingStateChangedNotification = z.object({
  ...Envelope,
  type: z.literal('lead.booking_state_changed'),
  data: z.object({ before: z.string().nullable(), after: z.string() }),
});

export const TaskOpenedNotification = z.object({
  ...Envelope,
  type: z.literal('task.opened'),
  data: z.object({ taskId: z.string(), kind: z.string(), severity: z.string() }),
});

export const NotificationBody = z.discriminatedUnion('type', [
  GateChangedNotification,
  BookingStateChangedNotification,
  TaskOpenedNotification,
]);
export type NotificationBody = z.infer<typeof NotificationBody>;
