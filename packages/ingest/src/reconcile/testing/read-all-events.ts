/** Test support: every event in the store, in global order. */
import { START, type EventStore, type RecordedEvent } from '@recon/eventstore';

export async function readAllEvents(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let from = START;
  for (;;) {
    const page = await store.readAll(from, 5000);
    out.push(...page.events);
    if (page.events.length === 0) return out;
    from = page.next;
  }
}
