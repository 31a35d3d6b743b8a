/** Provider payload schemas, parsers and mapping to `ObserveProviderAppointment` (pure), and their registry. */
export * from './provider-name';
export * from './domain-provider';
export * from './provider-registry';
export * from './provider-parse-result';
export * from './provider-time';
export * from './observation-context';
export * from './calendly/index';
export * from './ghl/index';
