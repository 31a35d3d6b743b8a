/**
 * The one contract every event-store adapter passes (PostgreSQL, the EventStoreDB adapter against
 * its emulator, a real EventStoreDB). Store-agnostic: only the port is used. The factory must open
 * a new store instance over the SAME backing data on every call (the suite calls it again to
 * simulate a restart); `teardown` closes that instance only. Cases use unique stream names, so the
 * backing data need not be empty.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { EventStore } from '../port';
import { appendCases } from './contract/append-cases';
import { concurrencyCases } from './contract/concurrency-cases';
import type { ContractContext, StoreFactory, StoreHandle } from './contract/contract-helpers';
import { readCases } from './contract/read-cases';
import { resumeCases } from './contract/resume-cases';
import { subscribeCases } from './contract/subscribe-cases';

export type { StoreFactory, StoreHandle } from './contract/contract-helpers';

export function describeEventStoreContract(name: string, factory: StoreFactory): void {
  describe(`event store contract: ${name}`, () => {
    let handle: StoreHandle | undefined;
    beforeAll(async () => {
      handle = await factory();
    });
    afterAll(async () => {
      await handle?.teardown();
    });
    const ctx: ContractContext = {
      factory,
      store(): EventStore {
        if (handle === undefined) throw new Error('store not opened');
        return handle.store;
      },
    };
    appendCases(ctx);
    readCases(ctx);
    subscribeCases(ctx);
    resumeCases(ctx);
    concurrencyCases(ctx);
  });
}
