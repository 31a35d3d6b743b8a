/**
 * Appends fixture events (from `@recon/domain/testing`'s scenario builder) to an event store, one
 * by one in the given order, each to its own stream with a deterministic id, as a test's "given".
 * The store is typed by the two methods used: testkit cannot depend on `@recon/eventstore`, whose
 * own tests use testkit.
 */
import { reconEventId, streamOfEvent, type ReconEvent } from '@recon/domain';
import type { PlacedEvent } from '@recon/domain/testing';

/** The part of the event store port this helper uses. */
export interface AppendTarget<P> {
  append(
    streamName: string,
    events: readonly { readonly id: string; readonly type: string; readonly data: Record<string, unknown> }[],
    options: { readonly expectedRevision: 'any' },
  ): Promise<{ readonly ok: true; readonly position: P } | { readonly ok: false; readonly code: string }>;
  headPosition(): Promise<P>;
}

/**
 * A recon event, optionally with the match keys ingest stores with an unmatched booking (kept in
 * its data), or a placed event (its id then uses its revision, as ingest's do; otherwise the
 * "unplaced" fixture id).
 */
export type FixtureEvent = (ReconEvent & { readonly matchKeys?: unknown }) | PlacedEvent;

/** Appends in order with `expectedRevision: 'any'`; returns the last position (the head when none). */
export async function appendEvents<P>(store: AppendTarget<P>, events: readonly FixtureEvent[]): Promise<P> {
  let last: P | null = null;
  for (const item of events) {
    const [event, revision] = 'event' in item ? [item.event, item.revision] : [item, undefined];
    const data = { ...(event.data as Record<string, unknown>) };
    if ('matchKeys' in event && event.matchKeys !== undefined) data['matchKeys'] = event.matchKeys;
    const r = await store.append(
      streamOfEvent(event),
      [{ id: reconEventId(event, revision), type: event.type, data }],
      { expectedRevision: 'any' },
    );
    if (!r.ok) throw new Error(`append failed: ${r.code}`);
    last = r.position;
  }
  return last ?? (await store.headPosition());
}
