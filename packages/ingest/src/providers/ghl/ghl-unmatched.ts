/** A GHL booking is matched by its contact id: unmatched, it names no contact or a contact that is no lead. */
import { leadIdsOf, type ProviderUnmatchedSpec } from '../unmatched-spec';

export const ghlUnmatched: ProviderUnmatchedSpec = {
  candidates: (keys, leads) =>
    keys.ghl_contact_id === null ? [] : leadIdsOf(leads.filter((l) => l.ghl_contact_id === keys.ghl_contact_id)),
  reason: (keys) => (keys?.ghl_contact_id ? 'ghl_contact_not_a_lead' : 'no_contact_on_appointment'),
};
