/** @recon/eventstore/testing: test support for event-store adapters and their users. */
export { describeEventStoreContract, type StoreFactory, type StoreHandle } from './event-store-contract';
export { startEsdbEmulator, type EsdbEmulator, type EsdbEmulatorOptions } from './esdb-emulator';
