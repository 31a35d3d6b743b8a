/**
 * How an unmatched booking is explained (`GET /v1/workspaces/:ws/appointments?unmatched=true`): from
 * the match keys it carried and the leads they point at. Email matching (any provider that books by
 * email) is the default; a provider that matches by its own identifier (GHL: the contact id) says how
 * in its module's `unmatched` spec, with its own reason names.
 */

/** The match keys a booking carried (hashes and ids only), as the projections' read model holds them. */
export interface UnmatchedKeys {
  readonly invitee_email_hash: string | null;
  readonly guest_email_hashes: readonly string[];
  readonly ghl_contact_id: string | null;
  readonly utm_lead_ids: readonly string[];
}

/** A lead's identifiers from the projections' `lead_identities`. */
export interface LeadIdentityRow {
  readonly lead_id: string;
  readonly email_hash: string | null;
  readonly alternate_email_hashes: readonly string[];
  readonly ghl_contact_id: string | null;
}

export interface ProviderUnmatchedSpec {
  /** The leads the booking's own identifier points at (the route keeps them when there are two or more). */
  candidates(keys: UnmatchedKeys, leads: readonly LeadIdentityRow[]): string[];
  /** Why no lead matched (not ambiguous); `keys` is undefined when the booking carried none. */
  reason(keys: UnmatchedKeys | undefined): string;
}

/** The distinct lead ids of some identity rows, sorted. */
export function leadIdsOf(rows: readonly LeadIdentityRow[]): string[] {
  return [...new Set(rows.map((r) => r.lead_id))].sort();
}
