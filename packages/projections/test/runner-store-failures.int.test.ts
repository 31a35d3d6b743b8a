/**
 * A projection runner whose event store refuses it keeps running and says why: an EventStoreDB
 * that denies `$all` (no `$admins` credentials) shows up in the runner's state with the store's own
 * code, retried with the capped back-off (a fixed configuration needs no restart), instead of a
 * silent stall or a crash.
 */
import { createEsdbEventStore } from '@recon/eventstore';
import { startEsdbEmulator, type EsdbEmulator } from '@recon/eventstore/testing';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjections } from '../src/index';
import { setupDatabase, type TestContext } from './testing/projections-test-context';

let ctx: TestContext;
let emulator: EsdbEmulator;
beforeAll(async () => {
  ctx = await setupDatabase('runner-store-failures');
  emulator = await startEsdbEmulator({ serverVersion: '24.10.2', behaviour: { denyAllStreamReads: true } });
});
afterAll(async () => {
  await emulator?.stop();
  await ctx?.close();
});

describe('projection runner over a store that denies access', () => {
  it('reports EVENT_STORE_ACCESS_DENIED in its state and keeps retrying with back-off', async () => {
    const store = createEsdbEventStore({ connectionString: emulator.connectionString });
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const push = (obj: object, msg: string) => lines.push({ obj: obj as Record<string, unknown>, msg });
    const handle = startProjections({
      store,
      db: ctx.db,
      clock: () => new Date(),
      log: { info: push, warn: push, error: push },
      options: { retryBaseMs: 20, retryMaxMs: 200 },
    });
    try {
      const state = await waitFor(
        () => {
          const s = handle.runners().get('core');
          return s?.failing?.code === 'EVENT_STORE_ACCESS_DENIED' && s.consecutiveFailures >= 3 ? s : undefined;
        },
        { timeoutMs: 15_000, description: 'core runner failing with access denied, retried' },
      ).catch((e: unknown) => {
        throw new Error(
          `${String(e)} state=${JSON.stringify(handle.runners().get('core'))} lines=${JSON.stringify(lines.slice(0, 5))}`,
        );
      });
      expect(state.failing?.retryInMs).toBeLessThanOrEqual(200);
      // Retried many times, logged once (one line per failure kind per interval).
      expect(
        lines.filter((l) => l.obj['failure'] === 'EVENT_STORE_ACCESS_DENIED' && l.obj['projection'] === 'core'),
      ).toHaveLength(1);
    } finally {
      await handle.stop();
      await store.close();
    }
  });
});
