/** @recon/eventstore: the event-store port and its adapters. */
export * from './port';
