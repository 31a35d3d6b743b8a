/**
 * Groups a subscription's items into batches: a batch ends at a checkpoint or caught-up item (the
 * store says everything up to there was delivered, filtered events included), when it is full, or
 * when no item arrived for `idleMs` while events are pending. Waiting races the iterator against
 * a timer; the pending `next()` is kept, never dropped.
 */
import type { Position, RecordedEvent, SubscriptionItem } from '@recon/eventstore';

export interface SubscriptionBatch {
  readonly events: readonly RecordedEvent[];
  /** Safe checkpoint after this batch. */
  readonly position: Position;
  readonly caughtUp: boolean;
}

export async function* subscriptionBatches(
  items: AsyncIterable<SubscriptionItem>,
  options: { readonly maxBatch: number; readonly idleMs: number },
): AsyncGenerator<SubscriptionBatch, void, undefined> {
  const it = items[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<SubscriptionItem>> | null = null;
  let events: RecordedEvent[] = [];
  let caughtUp = false;
  try {
    for (;;) {
      pending ??= it.next();
      let result: IteratorResult<SubscriptionItem> | 'idle';
      if (events.length === 0) result = await pending;
      else {
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<'idle'>((resolve) => {
          timer = setTimeout(() => resolve('idle'), options.idleMs);
        });
        result = await Promise.race([pending, idle]);
        clearTimeout(timer);
      }
      if (result === 'idle') {
        const last = events[events.length - 1] as RecordedEvent;
        yield { events, position: last.position, caughtUp };
        events = [];
        continue;
      }
      pending = null;
      if (result.done === true) {
        if (events.length > 0)
          yield { events, position: (events[events.length - 1] as RecordedEvent).position, caughtUp };
        return;
      }
      const item = result.value;
      if (item.kind === 'event') {
        events.push(item.event);
        if (events.length >= options.maxBatch) {
          yield { events, position: item.event.position, caughtUp };
          events = [];
        }
        continue;
      }
      if (item.kind === 'caught-up') caughtUp = true;
      yield { events, position: item.position, caughtUp };
      events = [];
    }
  } finally {
    await it.return?.();
  }
}
