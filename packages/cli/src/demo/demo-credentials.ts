/**
 * The demo's provider accounts (simulated: the tokens open only the local simulators) and recon's
 * client limits for them, matching the simulators' generous limits (the demo shows reconciliation,
 * not GHL's 100 / 10 s pace).
 */
import type { ProviderTuning } from '@recon/ingest';

export const DEMO_GHL = {
  locationId: 'DemoLoc0000000000001',
  accessToken: 'demo-ghl-access-token',
  calendarId: 'DemoCal0000000000001',
} as const;

export const DEMO_CALENDLY = {
  accessToken: 'demo-calendly-access-token',
  organizationUri: 'https://api.calendly.com/organizations/00000000-0000-4000-8000-0000000000de',
  webhookSigningKey: 'demo-calendly-webhook-signing-key',
} as const;

export const DEMO_PROVIDER_TUNING: ProviderTuning = {
  rateLimits: {
    ghl: { maxRequests: 4_000, intervalMs: 10_000 },
    calendly: { maxRequests: 40_000, intervalMs: 60_000 },
  },
};
