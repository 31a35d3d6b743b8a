/**
 * GHL, domain side — the folder's front door: its registry entry, the parsers and mappers the
 * client uses, the payload types in their signatures, the match hints and failure codes.
 */
export { ghlDomainProvider } from './ghl-provider';
export type { GhlFailureCode, GhlMatchHints } from './ghl-observation';
export { GhlCalendarEvent, GhlContactAppointment } from './ghl-schemas';
export {
  type GhlWebhook,
  parseGhlCalendarEvent,
  parseGhlCalendarEvents,
  parseGhlContactAppointments,
  parseGhlLocation,
  parseGhlWebhook,
} from './parse-ghl';
export { type GhlObservationContext, mapGhlCalendarEvent, mapGhlContactAppointment, mapGhlWebhook } from './map-ghl';
