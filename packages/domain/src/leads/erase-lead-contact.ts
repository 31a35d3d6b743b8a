/**
 * Erasing a lead's contact (`DELETE …/leads/:leadId/contact`) is an event (`LeadContactErased`) on
 * the lead's stream, so every read model — and every rebuild — drops the lead's identifiers from
 * that point on. Idempotent: erasing an erased lead decides nothing, and a lead never registered has
 * nothing to erase. A later `LeadRegistered` / `LeadContactChanged` makes it erasable again.
 */
import type { LeadEvent } from '../events/lead-events';
import type { Instant } from '../events/primitives';

export interface EraseLeadContactCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly erasedAt: Instant;
}

export interface LeadErasureState {
  readonly registered: boolean;
  /** True from a `LeadContactErased` until the next contact event. */
  readonly erased: boolean;
}

export function initialLeadErasure(): LeadErasureState {
  return { registered: false, erased: false };
}

export function evolveLeadErasure(state: LeadErasureState, event: LeadEvent): LeadErasureState {
  if (event.type === 'LeadRegistered' || event.type === 'LeadContactChanged')
    return { registered: true, erased: false };
  if (event.type === 'LeadContactErased') return { ...state, erased: true };
  return state;
}

export function decideEraseLeadContact(command: EraseLeadContactCommand, state: LeadErasureState): LeadEvent[] {
  if (!state.registered || state.erased) return [];
  const { workspaceId, leadId, erasedAt } = command;
  return [{ type: 'LeadContactErased', data: { workspaceId, leadId, erasedAt } }];
}
