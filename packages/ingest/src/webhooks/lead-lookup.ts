/**
 * How ingest finds the lead a booking belongs to, by identifiers that are not PII: a keyed email
 * hash (the lead's primary email, or one of its alternates), a GHL contact id, or a lead id named
 * in the booking's tracking fields. Backed by the projections' `lead_identities` read model.
 */
import type { Provider } from '@recon/domain';

export type LeadIdentity =
  | { readonly kind: 'email'; readonly emailHash: string }
  | { readonly kind: 'alternate_email'; readonly emailHash: string }
  | { readonly kind: 'ghl_contact'; readonly ghlContactId: string }
  | { readonly kind: 'lead_id'; readonly leadId: string };

export interface LeadLookup {
  /** The lead with this identity in the workspace, or null. Throws only when the database is down. */
  findLead(workspaceId: string, identity: LeadIdentity): Promise<string | null>;
  /**
   * Optional fast path: primary email, then alternate emails, in one call. An email on two or more
   * leads answers `ambiguous` with the candidates (the booking stays unmatched). When absent,
   * matching asks `findLead` for `email`, then for `alternate_email`.
   */
  findByEmailHash?(
    workspaceId: string,
    emailHash: string,
  ): Promise<
    | { readonly leadId: string; readonly matchedBy: 'email' | 'alternate_email' }
    | { readonly ambiguous: readonly string[] }
    | null
  >;
  /**
   * Every provider appointment linked to the lead, however it was matched (webhook by email, guest
   * or UTM, polling, identities link, operator link), so a check folds the whole lead.
   */
  linkedAppointments?(workspaceId: string, leadId: string): Promise<readonly LinkedAppointment[]>;
  /** Optional batch form of `linkedAppointments` (a reconcile tick's due batch in one round trip); every lead asked has an entry. */
  linkedAppointmentsOfLeads?(
    workspaceId: string,
    leadIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly LinkedAppointment[]>>;
}

/** A provider appointment known to belong to a lead (ids only). */
export interface LinkedAppointment {
  readonly provider: Provider;
  readonly id: string;
}
