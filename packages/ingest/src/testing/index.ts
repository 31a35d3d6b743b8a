/** @recon/ingest/testing: provider simulators for tests, benchmarks and `recon demo` (never used by `recon start`). */
export * from '../simulators/simulator-server';
export * from '../simulators/ghl-simulator';
export * from '../simulators/calendly-simulator';
export * from '../simulators/seeded-random';
export * from '../simulators/zoned-time-format';
export type { CalendlySimEvent, CalendlySimInvitee } from '../simulators/calendly-sim-resources';
export { scanLeadLookup } from '../reconcile/testing/scan-lead-lookup';
