/** GHL, domain side: payload schemas, parsers, mapping to `ObserveProviderAppointment`, registry entry. */
export * from './ghl-schemas';
export * from './ghl-observation';
export * from './parse-ghl';
export * from './map-ghl-status';
export * from './map-ghl';
export { ghlDomainProvider } from './ghl-provider';
