/** Calendly, domain side: payload schemas, parsers, mapping to `ObserveProviderAppointment`, registry entry. */
export * from './calendly-schemas';
export * from './calendly-observation';
export * from './parse-calendly';
export * from './map-calendly';
export { calendlyDomainProvider } from './calendly-provider';
