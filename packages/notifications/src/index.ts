/**
 * @recon/notifications: outbound notifications to a workspace's notifyUrl. An outbox written in
 * the projection batch transaction (`notificationOutbox()` side effect), a delivery worker (signed
 * like Calendly, retried 24 h, ordered per lead, safe with several workers), and the operator routes.
 */
export { migrateNotifications } from './migrate-notifications';
export type {
  NotificationOutboxTable,
  NotificationOutboxRow,
  NewNotificationOutboxRow,
  NotificationsDatabase,
  NotificationStatus,
} from './outbox/outbox-tables';
export {
  NotificationBody,
  NotificationType,
  NOTIFICATION_TYPES,
  GateChangedNotification,
  BookingStateChangedNotification,
  TaskOpenedNotification,
} from './outbox/notification-body';
export { notificationId, NOTIFICATION_ID_NAMESPACE } from './outbox/idempotency-id';
export { pruneNotificationOutbox } from './outbox/prune-outbox';
export {
  notificationsFromChanges,
  type NewNotification,
  type FromChangesOptions,
} from './outbox/notifications-from-changes';
export {
  notificationOutbox,
  insertNotifications,
  DEFAULT_RETRY_WINDOW_MS,
  type NotificationOutboxOptions,
} from './outbox/notification-outbox';
export {
  signNotification,
  verifyNotificationSignature,
  SIGNATURE_HEADER,
  IDEMPOTENCY_HEADER,
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  type VerifyResult,
} from './delivery/sign-notification';
export { retryDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from './delivery/backoff';
export { workspaceNotifyTargets, type NotifyTarget, type NotifyTargetLookup } from './delivery/notify-targets';
export {
  startNotificationWorker,
  type NotificationWorker,
  type NotificationWorkerOptions,
  type StartNotificationWorkerDeps,
  type NotificationLog,
} from './delivery/notification-worker';
export {
  listNotifications,
  redeliverNotification,
  toNotificationItem,
  type NotificationItem,
  type RedeliverResult,
} from './queries/notification-queries';
export { notificationStats, type NotificationStats } from './queries/notification-stats';
export {
  notificationRoutes,
  type NotificationRoutesConfig,
  type NotificationRoutesServices,
} from './routes/notification-routes';
