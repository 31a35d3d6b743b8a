/**
 * Re-keys every lead's email hashes after RECON_SECRET_KEY changed (`recon secrets rehash-emails`):
 * each lead of the PII contact table (`lead_contacts`) with an email is sent through the lead feed
 * again with the email and alternate emails it holds. Under the new key the hashes differ, so the
 * lead's stream gets one `LeadContactChanged` with the new hashes, and the identity read model
 * follows (no rebuild). Idempotent: a lead whose hashes are already current appends nothing.
 * Erased leads hold no email and are skipped. Counts only; never an email.
 */
import { applyLeadUpdate } from '@recon/ingest';
import type { EventStore } from '@recon/eventstore';
import { createEmailHasher, type WorkspacesDatabase } from '@recon/workspaces';
import { sql, type Kysely } from 'kysely';

export interface RehashCounts {
  /** Leads that got their hashes under the current key (one LeadContactChanged each). */
  rehashed: number;
  /** Leads whose hashes were already current. */
  alreadyCurrent: number;
  /** Leads the store refused (a conflict, an outage): run again. */
  failed: number;
}

const PAGE = 200;

export async function rehashLeadEmails(
  deps: { readonly db: Kysely<WorkspacesDatabase>; readonly store: EventStore; readonly clock: () => Date },
  secretKey: string,
): Promise<RehashCounts> {
  const feed = { ...deps, hashEmail: createEmailHasher(secretKey) };
  const counts: RehashCounts = { rehashed: 0, alreadyCurrent: 0, failed: 0 };
  let after: { workspace_id: string; lead_id: string } | null = null;
  for (;;) {
    let q = deps.db
      .selectFrom('lead_contacts')
      .select(['workspace_id', 'lead_id', 'email', 'alternate_emails', 'name'])
      .where((eb) =>
        eb.or([eb('email', 'is not', null), eb(sql<number>`jsonb_array_length(alternate_emails)`, '>', 0)]),
      )
      .orderBy('workspace_id')
      .orderBy('lead_id')
      .limit(PAGE);
    if (after !== null) {
      const a: { workspace_id: string; lead_id: string } = after;
      q = q.where((eb) =>
        eb.or([
          eb('workspace_id', '>', a.workspace_id),
          eb.and([eb('workspace_id', '=', a.workspace_id), eb('lead_id', '>', a.lead_id)]),
        ]),
      );
    }
    const page = await q.execute();
    for (const row of page) {
      const contact = { email: row.email, alternateEmails: row.alternate_emails, name: row.name };
      const r = await applyLeadUpdate(
        feed,
        { workspaceId: row.workspace_id, leadId: row.lead_id },
        { email: row.email, alternateEmails: row.alternate_emails },
        contact,
      );
      if (!r.ok) counts.failed += 1;
      else if (r.eventsAppended > 0) counts.rehashed += 1;
      else counts.alreadyCurrent += 1;
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = last === undefined ? null : { workspace_id: last.workspace_id, lead_id: last.lead_id };
  }
  return counts;
}
