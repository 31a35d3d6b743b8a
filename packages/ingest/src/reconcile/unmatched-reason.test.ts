import { describe, expect, it } from 'vitest';
import { unmatchedReason } from './unmatched-appointments-route';

const keys = (over: Partial<Parameters<typeof unmatchedReason>[1] & object> = {}) => ({
  invitee_email_hash: null,
  guest_email_hashes: [],
  ghl_contact_id: null,
  utm_lead_ids: [],
  ...over,
});

describe('unmatchedReason', () => {
  it('Calendly: an invitee email no lead has (guests counted), or a utm lead id that does not exist', () => {
    expect(
      unmatchedReason('calendly', keys({ invitee_email_hash: 'a'.repeat(64), guest_email_hashes: ['b'.repeat(64)] })),
    ).toEqual({ reason: 'no_lead_with_invitee_email', guestEmails: 1 });
    expect(unmatchedReason('calendly', keys({ invitee_email_hash: 'a'.repeat(64), utm_lead_ids: ['lead-9'] }))).toEqual(
      { reason: 'utm_lead_unknown', guestEmails: 0 },
    );
    expect(unmatchedReason('calendly', undefined)).toEqual({ reason: 'no_match_keys', guestEmails: 0 });
  });
  it('GHL: a contact that is no lead, or no contact on the appointment', () => {
    expect(unmatchedReason('ghl', keys({ ghl_contact_id: 'c1' }))).toEqual({
      reason: 'ghl_contact_not_a_lead',
      guestEmails: 0,
    });
    expect(unmatchedReason('ghl', keys())).toEqual({ reason: 'no_contact_on_appointment', guestEmails: 0 });
    expect(unmatchedReason('ghl', undefined).reason).toBe('no_contact_on_appointment');
  });
});
