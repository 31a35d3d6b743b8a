/**
 * The lead feed's decider: a CRM write (PUT lead) → LeadRegistered / LeadContactChanged /
 * LeadSentimentClassified, or nothing when the stream already says the same (the idempotence
 * guard). Absent fields mean "unchanged", null clears. A sentiment classified earlier than the one
 * the stream holds is stale and ignored, so out-of-order CRM pushes converge on the newest label.
 */
import type { LeadEvent } from '../events/lead-events';
import type { Instant } from '../events/primitives';
import { compareInstants } from '../instants';
import type { LeadFeedState } from './lead-feed-state';

export interface UpdateLeadCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  /** Keyed hashes, never emails. `undefined` = unchanged, `null` = cleared. */
  readonly emailHash?: string | null;
  readonly alternateEmailHashes?: readonly string[];
  readonly ghlContactId?: string | null;
  readonly sentiment?: { readonly label: string; readonly classifiedAt: Instant };
  /** ISO instant of the write (the caller's clock). */
  readonly now: Instant;
}

export type LeadUpdateOutcome = 'created' | 'updated' | 'unchanged';

function normalizeAlternates(hashes: readonly string[], primary: string | null): string[] {
  return [...new Set(hashes)].filter((h) => h !== primary).sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function decideLeadUpdate(command: UpdateLeadCommand, state: LeadFeedState): LeadEvent[] {
  const ref = { workspaceId: command.workspaceId, leadId: command.leadId };
  const events: LeadEvent[] = [];
  const emailHash = command.emailHash === undefined ? state.emailHash : command.emailHash;
  const alternateEmailHashes = normalizeAlternates(
    command.alternateEmailHashes ?? state.alternateEmailHashes,
    emailHash,
  );
  const ghlContactId = command.ghlContactId === undefined ? state.ghlContactId : command.ghlContactId;
  const contact = { ...ref, emailHash, alternateEmailHashes, ghlContactId };

  if (!state.registered) {
    events.push({ type: 'LeadRegistered', data: { ...contact, registeredAt: command.now } });
  } else if (
    emailHash !== state.emailHash ||
    ghlContactId !== state.ghlContactId ||
    !sameList(alternateEmailHashes, normalizeAlternates(state.alternateEmailHashes, state.emailHash))
  ) {
    events.push({ type: 'LeadContactChanged', data: { ...contact, changedAt: command.now } });
  }

  const s = command.sentiment;
  const current = state.sentiment;
  if (s !== undefined) {
    const order = current === null ? 1 : compareInstants(s.classifiedAt, current.classifiedAt);
    const sameInstantOtherLabel = current !== null && order === 0 && s.label !== current.label;
    if (order > 0 || sameInstantOtherLabel)
      events.push({ type: 'LeadSentimentClassified', data: { ...ref, label: s.label, classifiedAt: s.classifiedAt } });
  }
  return events;
}

export function leadUpdateOutcome(events: readonly { readonly type: string }[]): LeadUpdateOutcome {
  if (events.some((e) => e.type === 'LeadRegistered')) return 'created';
  return events.length > 0 ? 'updated' : 'unchanged';
}
