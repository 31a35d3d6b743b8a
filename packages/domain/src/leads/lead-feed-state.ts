/**
 * What the lead feed's deciders need to know about a lead's stream to decide whether a CRM write
 * or a message changes anything: the contact identifiers (hashes, GHL contact id), the latest
 * sentiment and message activity. Folded from the lead's own events; the others leave it as is.
 */
import { assertNever } from '../assert-never';
import type { LeadEvent } from '../events/lead-events';
import type { Instant, MessageDirection } from '../events/primitives';

export interface LeadFeedState {
  readonly registered: boolean;
  readonly emailHash: string | null;
  readonly alternateEmailHashes: readonly string[];
  readonly ghlContactId: string | null;
  readonly sentiment: { readonly label: string; readonly classifiedAt: Instant } | null;
  readonly lastInboundAt: Instant | null;
  readonly lastMessageDirection: MessageDirection | null;
  /** Time of the newest message recorded (`messageAt`), inbound or outbound. */
  readonly lastMessageAt: Instant | null;
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

export function evolveLeadFeedState(state: LeadFeedState, event: LeadEvent): LeadFeedState {
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
    case 'LeadContactErased':
      // Still registered; a later write with the same email is a change (it sets the hashes again).
      return { ...state, emailHash: null, alternateEmailHashes: [], ghlContactId: null };
    case 'LeadSentimentClassified':
      return { ...state, sentiment: { label: event.data.label, classifiedAt: event.data.classifiedAt } };
    case 'LeadInboundActivityRecorded':
      return {
        ...state,
        lastInboundAt: event.data.lastInboundAt,
        lastMessageDirection: event.data.lastMessageDirection,
        lastMessageAt: event.data.messageAt ?? state.lastMessageAt,
      };
    case 'LeadProviderChecked':
    case 'FollowUpTaskResolved':
    case 'LeadBookedLabelUnverified':
      return state;
    default:
      return assertNever(event, 'lead event');
  }
}
