/**
 * The thin adapter between a domain decider and handleCommand: stored events are parsed back into
 * the domain's union (unknown ones are skipped), the domain decides, and the decided events get
 * the domain's one event-id scheme (`withEventIds`: stream + revision read + type + fact). No
 * decision is made here: every rule lives in @recon/domain.
 */
import { LeadEvent, withEventIds } from '@recon/domain';
import type { RecordedEvent } from '@recon/eventstore';
import type { StreamDecider } from './handle-command';

export interface DomainStreamDecider<C, S, E extends { readonly type: string; readonly data: object }> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (command: C, state: S) => readonly E[];
  /** The stored event as a domain event, or null when this decider does not know it. */
  readonly parse: (recorded: RecordedEvent) => E | null;
  readonly streamOf: (command: C) => string;
}

export function fromDomainDecider<C, S, E extends { readonly type: string; readonly data: object }>(
  d: DomainStreamDecider<C, S, E>,
): StreamDecider<C, S> {
  return {
    initialState: d.initialState,
    evolve: (state, recorded) => {
      const event = d.parse(recorded);
      return event === null ? state : d.evolve(state, event);
    },
    decide: (command, state, revision) =>
      withEventIds(
        d.streamOf(command),
        revision,
        d.decide(command, state) as (E & { readonly data: Readonly<Record<string, unknown>> })[],
      ).map(({ id, event }) => ({
        id,
        type: event.type,
        data: event.data as Record<string, unknown>,
      })),
  };
}

/** A stored lead event. Activity recorded before `messageAt` moved into the data keeps it in metadata. */
export function parseLeadEvent(recorded: RecordedEvent): LeadEvent | null {
  const parsed = LeadEvent.safeParse({ type: recorded.type, data: recorded.data });
  if (!parsed.success) return null;
  const event = parsed.data;
  const fromMetadata = recorded.metadata['messageAt'];
  if (
    event.type === 'LeadInboundActivityRecorded' &&
    event.data.messageAt === undefined &&
    typeof fromMetadata === 'string'
  ) {
    return { ...event, data: { ...event.data, messageAt: fromMetadata } };
  }
  return event;
}
