/**
 * PUT lead: hash the emails, decide and append the lead's events, then store the PII in the
 * contact table. Events first: a failure after the append leaves a retry that appends nothing and
 * completes the contact row, so the pair converges without a distributed transaction.
 */
import type { Position } from '@recon/eventstore';
import { leadStreamName, leadUpdateOutcome, type LeadUpdateOutcome, type UpdateLeadCommand } from '@recon/domain';
import { getLeadContact, normalizeEmail, putLeadContact, type LeadContact } from '@recon/workspaces';
import { type StoreFailureCode, handleCommand } from '../handle-command';
import { leadUpdateDecider, type LeadFeedDeps } from './lead-feed-deps';
import type { LeadInput } from './lead-input';

export type ApplyLeadUpdateResult =
  | {
      readonly ok: true;
      readonly outcome: LeadUpdateOutcome;
      readonly position: Position | null;
      readonly eventsAppended: number;
    }
  | { readonly ok: false; readonly code: StoreFailureCode | 'CONCURRENCY_CONFLICT' };

function mergeContact(previous: LeadContact | null, input: LeadInput): LeadContact {
  return {
    email: input.email === undefined ? (previous?.email ?? null) : input.email === null ? null : input.email.trim(),
    alternateEmails:
      input.alternateEmails === undefined
        ? (previous?.alternateEmails ?? [])
        : input.alternateEmails.map((e) => e.trim()),
    name: input.name === undefined ? (previous?.name ?? null) : input.name,
  };
}

function sameContact(a: LeadContact | null, b: LeadContact): boolean {
  return (
    a !== null &&
    a.email === b.email &&
    a.name === b.name &&
    JSON.stringify(a.alternateEmails) === JSON.stringify(b.alternateEmails)
  );
}

export function toUpdateLeadCommand(
  deps: Pick<LeadFeedDeps, 'hashEmail'>,
  workspaceId: string,
  leadId: string,
  input: LeadInput,
  now: Date,
): UpdateLeadCommand {
  const hash = (email: string) => deps.hashEmail(workspaceId, normalizeEmail(email));
  return {
    workspaceId,
    leadId,
    ...(input.email !== undefined ? { emailHash: input.email === null ? null : hash(input.email) } : {}),
    ...(input.alternateEmails !== undefined ? { alternateEmailHashes: input.alternateEmails.map(hash) } : {}),
    ...(input.ghlContactId !== undefined ? { ghlContactId: input.ghlContactId } : {}),
    ...(input.sentiment !== undefined ? { sentiment: input.sentiment } : {}),
    now: now.toISOString(),
  };
}

export async function applyLeadUpdate(
  deps: LeadFeedDeps,
  target: { workspaceId: string; leadId: string },
  input: LeadInput,
  previousContact?: LeadContact | null,
): Promise<ApplyLeadUpdateResult> {
  const now = deps.clock();
  const command = toUpdateLeadCommand(deps, target.workspaceId, target.leadId, input, now);
  const result = await handleCommand(
    deps.store,
    leadStreamName(target.workspaceId, target.leadId),
    leadUpdateDecider,
    command,
  );
  if (!result.ok) return { ok: false, code: result.code };
  let outcome = leadUpdateOutcome(result.appended);
  const touchesPii = input.email !== undefined || input.alternateEmails !== undefined || input.name !== undefined;
  if (touchesPii || outcome === 'created') {
    try {
      const previous = previousContact !== undefined ? previousContact : await getLeadContact(deps.db, target);
      const merged = mergeContact(previous, input);
      if (!sameContact(previous, merged)) {
        await putLeadContact(deps.db, { ...target, contact: merged, now });
        if (outcome === 'unchanged') outcome = 'updated';
      }
    } catch {
      // The events are durable; the contact row follows on the client's retry (same body → no events).
      return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
    }
  }
  return { ok: true, outcome, position: result.position, eventsAppended: result.appended.length };
}
