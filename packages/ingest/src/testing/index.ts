/** @recon/ingest/testing: test-only helpers of ingest (never used by `recon start`). Simulators live in @recon/simulators. */
export { scanLeadLookup } from '../reconcile/testing/scan-lead-lookup';
