/** @recon/eventstore/testing: test support for event-store adapters and their users. */
export { describeEventStoreContract, type StoreFactory, type StoreHandle } from './event-store-contract';
