/**
 * The domain side of one provider, as the registry holds it: what recon must know about the
 * provider's facts without any I/O. Each provider folder (./ghl, ./calendly, …) exports one.
 * Provider-specific parsers, mappers and payload types stay exported from the folder for the code
 * that needs them (clients, simulators); generic code goes through this interface.
 */
import type { ObserveProviderAppointment } from '../observation';
import type { ObservationContext } from './observation-context';
import type { Provider } from './provider-name';
import type { ProviderResult } from './provider-parse-result';

/** A verified webhook body, decided by the provider module: ignored, or one appointment observation. */
export type WebhookObservation<H> =
  | { readonly kind: 'ignored'; readonly type: string }
  | {
      readonly kind: 'observed';
      readonly observation: ObserveProviderAppointment;
      /** Raw identifiers to find the lead with (may hold PII: match with them, never store or log). */
      readonly hints: H;
      /** The delivery announces a new appointment (its stream is almost always new). */
      readonly creates: boolean;
    };

export interface DomainProvider<P extends Provider = Provider, H = unknown> {
  readonly name: P;
  /** Display name (operator page, docs). */
  readonly label: string;
  /** The code every unreadable payload of this provider fails with. */
  readonly payloadInvalidCode: string;
  /** A verified, JSON-decoded webhook body → an observation (or ignored). Never throws. */
  readonly observeWebhook: (body: unknown, ctx: ObservationContext) => ProviderResult<WebhookObservation<H>, string>;
  /** The short key of a provider appointment id used in its stream name (default: the id itself). */
  readonly appointmentKey: (providerAppointmentId: string) => string;
  /**
   * A cancellation is final: nothing brings the appointment back, so a cancel applies whatever
   * version it carries (a Calendly invitee is replaced, never reinstated; GHL re-confirms in place).
   */
  readonly cancellationIsFinal: boolean;
}
