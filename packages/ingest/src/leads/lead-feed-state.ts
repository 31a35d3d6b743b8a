/**
 * What the lead feed needs to know about a lead's stream to decide whether a CRM write changes
 * anything: the contact identifiers (hashes, GHL contact id), the latest sentiment and message
 * activity. Folded from the lead stream's events; other lead events leave it unchanged.
 */
import type { RecordedEvent } from '@recon/eventstore';
import { LeadEvent, type MessageDirection } from '@recon/domain';

export interface LeadFeedState {
  readonly registered: boolean;
  readonly emailHash: string | null;
  readonly alternateEmailHashes: readonly string[];
  readonly ghlContactId: string | null;
  readonly sentiment: { readonly label: string; readonly classifiedAt: string } | null;
  readonly lastInboundAt: string | null;
  readonly lastMessageDirection: MessageDirection | null;
  /** Time of the newest message recorded (event metadata `messageAt`), inbound or outbound. */
  readonly lastMessageAt: string | null;
}

export function initialLeadFeedState(): LeadFeedState {
  return {
    registered: false,
    emailHash: null,
    alternateEmailHashes: [],
    ghlContactId: null,
    sentiment: null,
    lastInboundAt: null,
    lastMessageDirection: null,
    lastMessageAt: null,
  };
}

export function evolveLeadFeedState(state: LeadFeedState, recorded: RecordedEvent): LeadFeedState {
  const parsed = LeadEvent.safeParse({ type: recorded.type, data: recorded.data });
  if (!parsed.success) return state;
  const event = parsed.data;
  switch (event.type) {
    case 'LeadRegistered':
    case 'LeadContactChanged':
      return {
        ...state,
        registered: true,
        emailHash: event.data.emailHash,
        alternateEmailHashes: event.data.alternateEmailHashes,
        ghlContactId: event.data.ghlContactId,
      };
    case 'LeadSentimentClassified':
      return { ...state, sentiment: { label: event.data.label, classifiedAt: event.data.classifiedAt } };
    case 'LeadInboundActivityRecorded': {
      const messageAt = typeof recorded.metadata['messageAt'] === 'string' ? recorded.metadata['messageAt'] : state.lastMessageAt;
      return { ...state, lastInboundAt: event.data.lastInboundAt, lastMessageDirection: event.data.lastMessageDirection, lastMessageAt: messageAt };
    }
    case 'LeadProviderChecked':
    case 'FollowUpTaskResolved':
      return state;
    default: {
      const never: never = event;
      return never;
    }
  }
}
