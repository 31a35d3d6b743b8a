/**
 * The lead contact table: the only place a lead's email, alternate emails and name are kept.
 * Erasing a contact deletes the row; events only ever held keyed hashes, so history stays whole.
 */
import type { Kysely, Transaction } from 'kysely';
import type { LeadContactRow, WorkspacesDatabase } from './database';

export interface LeadContact {
  readonly email: string | null;
  readonly alternateEmails: readonly string[];
  readonly name: string | null;
}

type Db = Kysely<WorkspacesDatabase> | Transaction<WorkspacesDatabase>;

export function toLeadContact(row: LeadContactRow): LeadContact {
  return { email: row.email, alternateEmails: row.alternate_emails, name: row.name };
}

export async function getLeadContact(
  db: Db,
  input: { workspaceId: string; leadId: string },
): Promise<LeadContact | null> {
  const row = await db
    .selectFrom('lead_contacts')
    .selectAll()
    .where('workspace_id', '=', input.workspaceId)
    .where('lead_id', '=', input.leadId)
    .executeTakeFirst();
  return row === undefined ? null : toLeadContact(row);
}

/** Contacts of many leads at once (batch writes). */
export async function getLeadContacts(
  db: Db,
  input: { workspaceId: string; leadIds: readonly string[] },
): Promise<Map<string, LeadContact>> {
  const result = new Map<string, LeadContact>();
  if (input.leadIds.length === 0) return result;
  const rows = await db
    .selectFrom('lead_contacts')
    .selectAll()
    .where('workspace_id', '=', input.workspaceId)
    .where('lead_id', 'in', [...input.leadIds])
    .execute();
  for (const row of rows) result.set(row.lead_id, toLeadContact(row));
  return result;
}

/** Stores the lead's whole contact record (the caller has merged it). */
export async function putLeadContact(
  db: Db,
  input: { workspaceId: string; leadId: string; contact: LeadContact; now: Date },
): Promise<void> {
  const values = {
    workspace_id: input.workspaceId,
    lead_id: input.leadId,
    email: input.contact.email,
    alternate_emails: JSON.stringify(input.contact.alternateEmails),
    name: input.contact.name,
    updated_at: input.now,
  };
  await db
    .insertInto('lead_contacts')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'lead_id']).doUpdateSet({
        email: values.email,
        alternate_emails: values.alternate_emails,
        name: values.name,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}

/** Erases the lead's PII. Returns whether a contact existed. */
export async function eraseLeadContact(db: Db, input: { workspaceId: string; leadId: string }): Promise<boolean> {
  const result = await db
    .deleteFrom('lead_contacts')
    .where('workspace_id', '=', input.workspaceId)
    .where('lead_id', '=', input.leadId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
