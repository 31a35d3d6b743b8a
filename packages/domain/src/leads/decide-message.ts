/**
 * Message activity → LeadInboundActivityRecorded. Only times and directions, never bodies.
 * lastInboundAt only moves forward; lastMessageDirection follows the newest message by its own
 * time (`messageAt`), so late deliveries of old messages change nothing. An unregistered lead has
 * no stream to record on: nothing is decided (the adapter answers LEAD_NOT_FOUND).
 */
import type { LeadEvent } from '../events/lead-events';
import type { Instant, MessageDirection } from '../events/primitives';
import { compareInstants } from '../instants';
import type { LeadFeedState } from './lead-feed-state';

export interface RecordMessageCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly direction: MessageDirection;
  /** ISO instant the message was sent/received. */
  readonly at: Instant;
  readonly now: Instant;
}

const later = (a: Instant | null, b: Instant): Instant => (a === null || compareInstants(b, a) > 0 ? b : a);

export function decideMessage(command: RecordMessageCommand, state: LeadFeedState): LeadEvent[] {
  if (!state.registered) return [];
  const lastInboundAt = command.direction === 'inbound' ? later(state.lastInboundAt, command.at) : state.lastInboundAt;
  const newest = state.lastMessageAt === null || compareInstants(command.at, state.lastMessageAt) >= 0;
  const lastMessageDirection = newest ? command.direction : state.lastMessageDirection;
  const messageAt = newest ? command.at : state.lastMessageAt;
  if (
    lastInboundAt === state.lastInboundAt &&
    lastMessageDirection === state.lastMessageDirection &&
    messageAt === state.lastMessageAt
  )
    return [];
  if (lastMessageDirection === null || messageAt === null) return [];
  return [
    {
      type: 'LeadInboundActivityRecorded',
      data: {
        workspaceId: command.workspaceId,
        leadId: command.leadId,
        lastInboundAt,
        lastMessageDirection,
        recordedAt: command.now,
        messageAt,
      },
    },
  ];
}
