/**
 * Coalesces concurrent email-hash lookups of one workspace into one query: every webhook needs
 * one, and under load a round trip costs more than the query. Lookups that arrive while a query
 * is being prepared (same tick) share it; answers are exactly those of one-by-one lookups
 * (primary email first, then alternates; an email on two or more leads at that rank is ambiguous,
 * never silently given to one of them).
 */
import { sql, type Kysely } from 'kysely';

export type EmailMatch =
  | { readonly leadId: string; readonly matchedBy: 'email' | 'alternate_email' }
  /** The email is on two or more leads (at the best rank): the booking stays unmatched until an operator links it. */
  | { readonly ambiguous: readonly string[] }
  | null;

interface Pending {
  readonly hashes: Map<string, { resolve: (m: EmailMatch) => void; reject: (e: unknown) => void }[]>;
}

interface IdentityRow {
  lead_id: string;
  email_hash: string | null;
  alternate_email_hashes: string[];
}

function bestMatch(rows: readonly IdentityRow[], hash: string): EmailMatch {
  const primary = new Set<string>();
  const alternate = new Set<string>();
  for (const r of rows) {
    if (r.email_hash === hash) primary.add(r.lead_id);
    if (r.alternate_email_hashes.includes(hash)) alternate.add(r.lead_id);
  }
  const pick = (leads: Set<string>, matchedBy: 'email' | 'alternate_email'): EmailMatch => {
    const ids = [...leads].sort();
    return ids.length === 1 ? { leadId: ids[0] as string, matchedBy } : { ambiguous: ids };
  };
  if (primary.size > 0) return pick(primary, 'email');
  return alternate.size === 0 ? null : pick(alternate, 'alternate_email');
}

export function createBatchedEmailLookup(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
): (workspaceId: string, emailHash: string) => Promise<EmailMatch> {
  const pending = new Map<string, Pending>();

  async function flush(workspaceId: string, batch: Pending): Promise<void> {
    const hashes = [...batch.hashes.keys()];
    try {
      const { rows } = await sql<IdentityRow>`
        SELECT lead_id, email_hash, alternate_email_hashes FROM lead_identities
        WHERE workspace_id = ${workspaceId} AND (email_hash = ANY(${hashes}::text[]) OR alternate_email_hashes && ${hashes}::text[])`.execute(
        db,
      );
      for (const [hash, waiters] of batch.hashes) {
        const match = bestMatch(rows, hash);
        for (const w of waiters) w.resolve(match);
      }
    } catch (error) {
      for (const waiters of batch.hashes.values()) for (const w of waiters) w.reject(error);
    }
  }

  return (workspaceId, emailHash) =>
    new Promise<EmailMatch>((resolve, reject) => {
      let batch = pending.get(workspaceId);
      if (batch === undefined) {
        const created: Pending = { hashes: new Map() };
        batch = created;
        pending.set(workspaceId, created);
        setImmediate(() => {
          pending.delete(workspaceId);
          void flush(workspaceId, created);
        });
      }
      const waiters = batch.hashes.get(emailHash) ?? [];
      waiters.push({ resolve, reject });
      batch.hashes.set(emailHash, waiters);
    });
}
