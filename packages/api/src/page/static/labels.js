// What the operator reads for the API's codes (tasks, mismatches, unmatched reasons, states).
export const TASK_TEXT = {
  'meeting-canceled': { label: 'Red: meeting canceled', what: 'Meeting canceled — call the lead', tone: 'red' },
  'meeting-rescheduled': {
    label: 'Red: meeting rescheduled',
    what: 'Meeting rescheduled — confirm the new time',
    tone: 'red',
  },
  'meeting-no-show': { label: 'Amber: no-show', what: 'Lead did not show up — review', tone: 'amber' },
  'meeting-outcome-unknown': {
    label: 'Amber: outcome unknown',
    what: 'The meeting ended with no attendance signal — did it happen?',
    tone: 'amber',
  },
  'label-unverified': {
    label: 'Amber: label unverified',
    what: 'Marked booked, but no provider has the meeting — check with the lead',
    tone: 'amber',
  },
  'meeting-reschedule-unconfirmed': {
    label: 'Red: reschedule unconfirmed',
    what: 'Rescheduled, but the new booking cannot be found — confirm the meeting with the lead',
    tone: 'red',
  },
};

export function taskText(t) {
  const tone = t.severity === 'red' ? 'red' : 'amber';
  return TASK_TEXT[t.kind] ?? { label: `${tone === 'red' ? 'Red' : 'Amber'}: ${t.kind}`, what: t.kind, tone };
}

export const MISMATCH_TEXT = {
  sentiment_booked_no_evidence: 'Sentiment says booked, no provider evidence',
  evidence_not_marked_booked: 'Booked at a provider, sentiment not marked',
  canceled_but_booked_status: 'Canceled, still marked booked',
};

export const REASON_TEXT = {
  ambiguous: 'Ambiguous: the booking’s email or contact is on several leads — pick one',
  no_lead_with_invitee_email: 'No lead has the invitee’s email',
  utm_lead_unknown: 'The booking link names a lead recon does not know',
  no_match_keys: 'The booking carries no email or lead reference',
  no_contact_on_appointment: 'The GHL appointment names no contact',
  ghl_contact_not_a_lead: 'The GHL contact is on no lead',
};
export const reasonText = (reason) => REASON_TEXT[reason] ?? reason.replaceAll('_', ' ');

/** Booking states in chart and table order, with their names and colors (also told apart by dash). */
export const STATES = [
  { key: 'booked', label: 'Booked', stroke: '#1a7f37', dash: [] },
  { key: 'canceled', label: 'Canceled', stroke: '#a50e0e', dash: [6, 3] },
  { key: 'completed', label: 'Completed', stroke: '#1a56db', dash: [] },
  { key: 'no_show', label: 'No-show', stroke: '#b35c00', dash: [2, 3] },
  { key: 'not_booked', label: 'Not booked', stroke: '#555555', dash: [8, 4] },
  { key: 'unknown', label: 'Unknown', stroke: '#8250df', dash: [1, 3] },
];
