/**
 * @recon/ingest: how facts get in. The generic command handler (read → decide → append with
 * expected revision), the lead feed's deciders, and the webhook routes as Fastify plugins (the
 * API registers them; ingest holds no server of its own).
 */
export { handleCommand, storeFailureCode, type StreamDecider, type HandleCommandResult, type HandleCommandOptions, type StoreFailureCode } from './handle-command';
export { fromDomainDecider, parseLeadEvent, type DomainStreamDecider } from './domain-decider';
export { findUnstorableText } from './unstorable-text';
export { appointmentDecider, evolveFromRecorded, type AppointmentMatchKeys, type ObserveAppointmentCommand } from './appointments/appointment-decider';
export { observeAppointment } from './appointments/observe-appointment';
export * from './leads/lead-input';
export { type LeadFeedDeps, leadUpdateDecider, leadMessageDecider } from './leads/lead-feed-deps';
export { applyLeadUpdate, toUpdateLeadCommand, type ApplyLeadUpdateResult } from './leads/apply-lead-update';
export { applyLeadBatch, type ApplyLeadBatchResult, type BatchItemResult } from './leads/apply-lead-batch';
export { recordLeadMessage, type RecordLeadMessageResult } from './leads/record-lead-message';
export type { LeadLookup, LeadIdentity, LinkedAppointment } from './webhooks/lead-lookup';
export { projectionsLeadLookup } from './webhooks/projections-lead-lookup';
export { matchCalendlyLead, matchGhlLead, type LeadMatch } from './webhooks/match-lead';
export type { WebhookDeps } from './webhooks/webhook-deps';
export { webhookRoutes, DEFAULT_WEBHOOK_BODY_LIMIT } from './webhooks/webhook-routes';
export type { SignatureResult, WebhookSignatureCode } from './webhooks/signature-result';
export { ingestCalendlyDelivery } from './providers/calendly/ingest-calendly-delivery';
export { ingestGhlDelivery } from './providers/ghl/ingest-ghl-delivery';
export { verifyCalendlySignature, CALENDLY_SIGNATURE_TOLERANCE_SECONDS } from './providers/calendly/verify-calendly-signature';
export { verifyGhlSignature, GHL_WEBHOOK_ED25519_PUBLIC_KEY, GHL_WEBHOOK_RSA_PUBLIC_KEY } from './providers/ghl/verify-ghl-signature';
export * from './providers/index';
export * from './reconcile/index';
export * from './scheduler/index';
export * from './backfill/index';
