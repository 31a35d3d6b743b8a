/**
 * The lead feed's decider: a CRM write (PUT lead) → LeadRegistered / LeadContactChanged /
 * LeadSentimentClassified, or nothing when the stream already says the same. Absent fields mean
 * "unchanged", null clears. A sentiment classified earlier than the one the stream holds is stale
 * and ignored, so out-of-order CRM pushes converge on the newest label.
 */
import type { EventToAppend } from '@recon/eventstore';
import { leadStreamName } from '@recon/domain';
import { canonicalJson, uuidV5 } from '../deterministic-event-id';
import type { LeadFeedState } from './lead-feed-state';

export interface UpdateLeadCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  /** Keyed hashes, never emails. `undefined` = unchanged, `null` = cleared. */
  readonly emailHash?: string | null;
  readonly alternateEmailHashes?: readonly string[];
  readonly ghlContactId?: string | null;
  readonly sentiment?: { readonly label: string; readonly classifiedAt: string };
  /** ISO instant of the write (the API's clock). */
  readonly now: string;
}

export type LeadUpdateOutcome = 'created' | 'updated' | 'unchanged';

/** An id for an event at this place of this stream with this content (times excluded). */
export function leadFeedEventId(streamName: string, revision: bigint, type: string, content: unknown): string {
  return uuidV5(`${streamName}@${revision}|${type}|${canonicalJson(content)}`);
}

function normalizeAlternates(hashes: readonly string[], primary: string | null): string[] {
  return [...new Set(hashes)].filter((h) => h !== primary).sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function decideLeadUpdate(command: UpdateLeadCommand, state: LeadFeedState, revision: bigint | null): EventToAppend[] {
  const stream = leadStreamName(command.workspaceId, command.leadId);
  const ref = { workspaceId: command.workspaceId, leadId: command.leadId };
  const events: EventToAppend[] = [];
  let next = revision === null ? 0n : revision + 1n;
  const push = (type: string, content: Record<string, unknown>, times: Record<string, unknown>) => {
    events.push({ id: leadFeedEventId(stream, next, type, content), type, data: { ...ref, ...content, ...times } });
    next += 1n;
  };

  const emailHash = command.emailHash === undefined ? state.emailHash : command.emailHash;
  const alternates = normalizeAlternates(command.alternateEmailHashes ?? state.alternateEmailHashes, emailHash);
  const ghlContactId = command.ghlContactId === undefined ? state.ghlContactId : command.ghlContactId;
  const contact = { emailHash, alternateEmailHashes: alternates, ghlContactId };

  if (!state.registered) {
    push('LeadRegistered', contact, { registeredAt: command.now });
  } else if (
    emailHash !== state.emailHash ||
    ghlContactId !== state.ghlContactId ||
    !sameList(alternates, normalizeAlternates(state.alternateEmailHashes, state.emailHash))
  ) {
    push('LeadContactChanged', contact, { changedAt: command.now });
  }

  const s = command.sentiment;
  const current = state.sentiment;
  if (s !== undefined) {
    const newer = current === null || Date.parse(s.classifiedAt) > Date.parse(current.classifiedAt);
    const sameInstantOtherLabel = current !== null && Date.parse(s.classifiedAt) === Date.parse(current.classifiedAt) && s.label !== current.label;
    if (newer || sameInstantOtherLabel) push('LeadSentimentClassified', { label: s.label, classifiedAt: s.classifiedAt }, {});
  }
  return events;
}

export function leadUpdateOutcome(events: readonly EventToAppend[]): LeadUpdateOutcome {
  if (events.some((e) => e.type === 'LeadRegistered')) return 'created';
  return events.length > 0 ? 'updated' : 'unchanged';
}
