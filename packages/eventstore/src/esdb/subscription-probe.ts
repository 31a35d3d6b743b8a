/**
 * Test helper: drains a port subscription in the background and lets a test wait, with a
 * deadline, until what it has received satisfies a condition (no sleeps).
 */
import type { EventStore, SubscribeOptions, SubscriptionItem } from '../port';

export interface SubscriptionProbe {
  readonly items: SubscriptionItem[];
  waitFor(condition: (items: readonly SubscriptionItem[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function probeSubscription(
  store: EventStore,
  options: Omit<SubscribeOptions, 'signal'> = {},
): SubscriptionProbe {
  const controller = new AbortController();
  const items: SubscriptionItem[] = [];
  let notify: () => void = () => undefined;
  let failure: unknown = null;
  const done = (async () => {
    try {
      for await (const item of store.subscribe({ ...options, signal: controller.signal })) {
        items.push(item);
        notify();
      }
    } catch (error) {
      failure = error;
      notify();
    }
  })();
  return {
    items,
    async waitFor(condition, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!condition(items)) {
        if (failure) throw failure;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`subscription condition not met within ${timeoutMs} ms (${items.length} items)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          notify = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}
