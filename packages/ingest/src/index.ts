/**
 * @recon/ingest: how facts get in. The generic command handler (read → decide → append with
 * expected revision), the lead feed, the provider modules and their registry (one folder per
 * provider under `providers/`), the webhook routes, reconciliation, the scheduler and backfills,
 * as Fastify plugins and functions (the API registers the routes; ingest holds no server of its
 * own). This front door lists what other packages use; everything else stays inside.
 */
export { handleCommand, type StoreFailureCode } from './handle-command';
export { fromDomainDecider, parseLeadEvent } from './domain-decider';
export { findUnstorableText } from './unstorable-text';
export { LeadIdParam, LeadInput, MAX_BATCH_LEADS, MessageInput } from './leads/lead-input';
export { applyLeadUpdate } from './leads/apply-lead-update';
export { applyLeadBatch } from './leads/apply-lead-batch';
export { recordLeadMessage } from './leads/record-lead-message';
export { appendLeadErasure } from './leads/erase-lead-event';
export type { LeadLookup } from './webhooks/lead-lookup';
export { projectionsLeadLookup } from './webhooks/projections-lead-lookup';
export { webhookRoutes } from './webhooks/webhook-routes';
export type { WebhookDeps } from './webhooks/webhook-deps';
export {
  bookingTokenGate,
  createBookingTokenGate,
  type BookingTokenGate,
  type BookingTokenRefusalCount,
  type BookingTokenRefusalReason,
} from './webhooks/booking-token-gate';
export { providerModules, providerNames, asProvider } from './providers/registry';
export {
  NO_INGEST_METRICS,
  WEBHOOK_OUTCOMES,
  webhookFailureOutcome,
  type IngestMetrics,
  type ProviderExchange,
  type WebhookOutcome,
} from './observability/ingest-metrics';
export type { ProviderFailureCode } from './providers/provider-call-result';
export { RateLimiterRegistry, type RateLimitOptions } from './providers/provider-rate-limiter';
export { checkApiBaseUrl, type ApiBaseUrlCheck } from './providers/api-base-url';
export { migrateIngest } from './reconcile/migrate-ingest';
export { getDeliveryCounts, NO_DELIVERIES, type DeliveryCounts } from './deliveries/delivery-counts';
export { providerHealthRoute } from './deliveries/provider-health-route';
export { getProviderHealth, type ProviderHealth } from './deliveries/provider-health';
export type { ReconcileDeps, ProviderTuning } from './reconcile/reconcile-deps';
export { reconcileRoutes, type ReconcileRoutesDeps } from './reconcile/reconcile-routes';
export { unmatchedAppointmentsRoute } from './reconcile/unmatched-appointments-route';
export { appointmentPathId, attendanceRoute } from './reconcile/attendance-route';
export { sweepAttendanceReviews } from './reconcile/attendance-review-sweep';
export {
  rescheduleFetchers,
  sweepRescheduleConfirmations,
  type RescheduleSweepSummary,
} from './reconcile/reschedule-confirm-sweep';
export { linkAppointmentRoute } from './reconcile/link-appointment-route';
export { startScheduler, type SchedulerHandle } from './scheduler/start-scheduler';
export { schedulerStatus, type SchedulerStatus, type WorkspaceSchedule } from './scheduler/scheduler-status';
export { backfillRoutes, type BackfillRoutesDeps } from './backfill/backfill-routes';
export { createBackfillJob, type BackfillProvider } from './backfill/backfill-jobs';
export { findUnfinishedBackfillJob } from './backfill/unfinished-backfill-job';
export { startBackfillJob, type StartBackfillResult } from './backfill/start-backfill-job';
export { pruneBackfillJobs } from './backfill/prune-backfill-jobs';
export { runBackfill } from './backfill/run-backfill';
export type { BackfillView } from './backfill/backfill-view';
export { backfillStatus, type BackfillStatus } from './backfill/backfill-status';
