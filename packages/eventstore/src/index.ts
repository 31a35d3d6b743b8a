/** @recon/eventstore: the event-store port and its adapters. */
export * from './port';
export {
  EventStoreError,
  isEventStoreError,
  RETRYABLE_EVENT_STORE_CODES,
  type EventStoreErrorCode,
} from './event-store-error';
export { createPostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { migrateEventStore } from './postgres/migrate-event-store';
export { createEsdbEventStore, type EsdbEventStoreOptions } from './esdb/esdb-event-store';
export { readEsdbConfig, type EsdbConfigResult } from './esdb/esdb-config';
