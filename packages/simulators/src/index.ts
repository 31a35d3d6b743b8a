/** @recon/simulators: local provider simulators for tests, benchmarks and `recon demo` (never used by `recon start`). */
export {
  SimulatorServer,
  type RateLimitState,
  type SimFault,
  type SimRateLimit,
  type SimRequest,
  type SimResponse,
  type RecordedRequest,
  type SimulatorServerOptions,
} from './simulator-server';
export { GhlSimulator, ghlRateLimitHeaders, type GhlSimAppointment, type GhlSimulatorOptions } from './ghl-simulator';
export {
  CalendlySimulator,
  CALENDLY_URI_BASE,
  calendlyRateLimitHeaders,
  type CalendlySimulatorOptions,
  type SimBooking,
} from './calendly-simulator';
export {
  CalcomSimulator,
  CALCOM_API_VERSION,
  calcomRateLimitHeaders,
  type CalcomSimulatorOptions,
  type CalcomSimBookingInput,
  type CalcomSimBooking,
} from './calcom/index';
export { calendlyInviteePayload, signCalendlyBody, type CalendlyDemoBooking } from './calendly-webhook-payload';
export { createGhlSigner, ghlAppointmentPayload, type GhlDemoAppointment, type GhlSigner } from './ghl-webhook-payload';
export { SeededRandom } from './seeded-random';
export type { CalendlySimEvent, CalendlySimInvitee } from './calendly-sim-resources';
export {
  startGhlSimulatorProcess,
  type GhlSimulatorProcess,
} from './process/start-ghl-simulator-process';
export type {
  GhlProcessAppointment,
  GhlProcessLocation,
  GhlProcessStats,
} from './process/ghl-simulator-protocol';
export type { CalendlySubscriptionState } from './calendly-sim-subscriptions';
