/**
 * Calendly, domain side — the folder's front door: its registry entry, the parsers and mappers the
 * client uses, the payload types in their signatures, the match hints and failure code.
 */
export { calendlyDomainProvider } from './calendly-provider';
export type { CalendlyFailureCode, CalendlyMatchHints } from './calendly-observation';
export { CalendlyInvitee, CalendlyScheduledEvent } from './calendly-schemas';
export {
  type CalendlyWebhook,
  parseCalendlyInviteeList,
  parseCalendlyInviteeResource,
  parseCalendlyScheduledEventList,
  parseCalendlyScheduledEventResource,
  parseCalendlyWebhook,
} from './parse-calendly';
export { mapCalendlyDelivery, mapCalendlyInvitee } from './map-calendly';
