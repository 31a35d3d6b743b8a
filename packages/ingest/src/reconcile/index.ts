/** Reconciliation: ask the providers about a lead, append what they say and the watermark. */
export { reconcileLead, type ReconcileLeadInput, type ReconcileLeadResult, type ReconciledLead, type LeadCheckSummary } from './reconcile-lead';
export type { ReconcileDeps, ProviderTuning } from './reconcile-deps';
export type { ReconcileNotification } from './reconcile-notification';
export type { CheckOutcome } from './provider-check';
export { migrateIngest } from './migrate-ingest';
export type { ReconcileDatabase, KnownAppointment } from './reconcile-tables';
export { scanCalendlyWindow, type CalendlyWindowScanInput } from '../providers/calendly/scan-calendly-window';
export { reconcileRoutes, CronBody, TickSummarySchema, type ReconcileRoutesDeps } from './reconcile-routes';
export { unmatchedAppointmentsRoute, unmatchedReason, type UnmatchedReason } from './unmatched-appointments-route';
