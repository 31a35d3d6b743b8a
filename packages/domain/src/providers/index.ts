/** Provider payload schemas, parsers and mapping to `ObserveProviderAppointment` (pure). */
export * from './provider-parse-result';
export * from './provider-time';
export * from './calendly-schemas';
export * from './parse-calendly';
export * from './map-calendly';
export * from './ghl-schemas';
export * from './parse-ghl';
export * from './map-ghl-status';
export * from './map-ghl';
export * from './observation-context';
