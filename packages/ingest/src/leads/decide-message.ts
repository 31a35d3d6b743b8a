/**
 * Message activity → LeadInboundActivityRecorded. Only times and directions, never bodies.
 * lastInboundAt only moves forward; lastMessageDirection follows the newest message by its own
 * time (kept in the event metadata), so late deliveries of old messages change nothing.
 */
import type { EventToAppend } from '@recon/eventstore';
import { leadStreamName, type MessageDirection } from '@recon/domain';
import { leadFeedEventId } from './decide-lead-update';
import type { LeadFeedState } from './lead-feed-state';

export interface RecordMessageCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly direction: MessageDirection;
  /** ISO instant the message was sent/received. */
  readonly at: string;
  readonly now: string;
}

const later = (a: string | null, b: string): string => (a === null || Date.parse(b) > Date.parse(a) ? b : a);

export function decideMessage(command: RecordMessageCommand, state: LeadFeedState, revision: bigint | null): EventToAppend[] {
  const lastInboundAt = command.direction === 'inbound' ? later(state.lastInboundAt, command.at) : state.lastInboundAt;
  const newest = state.lastMessageAt === null || Date.parse(command.at) >= Date.parse(state.lastMessageAt);
  const lastMessageDirection = newest ? command.direction : state.lastMessageDirection;
  const messageAt = newest ? command.at : state.lastMessageAt;
  if (lastInboundAt === state.lastInboundAt && lastMessageDirection === state.lastMessageDirection && messageAt === state.lastMessageAt) return [];
  if (lastMessageDirection === null) return [];
  const stream = leadStreamName(command.workspaceId, command.leadId);
  const content = { lastInboundAt, lastMessageDirection, messageAt };
  return [
    {
      id: leadFeedEventId(stream, revision === null ? 0n : revision + 1n, 'LeadInboundActivityRecorded', content),
      type: 'LeadInboundActivityRecorded',
      data: { workspaceId: command.workspaceId, leadId: command.leadId, lastInboundAt, lastMessageDirection, recordedAt: command.now },
      metadata: { messageAt },
    },
  ];
}
