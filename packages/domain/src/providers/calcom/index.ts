/** Cal.com, domain side: payload schemas, parsers, mapping to `ObserveProviderAppointment`, registry entry. */
export * from './calcom-schemas';
export * from './calcom-observation';
export * from './parse-calcom';
export * from './map-calcom';
export { calcomDomainProvider } from './calcom-provider';
