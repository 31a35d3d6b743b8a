/** What Calendly mapping yields beside the observation: its failure code and the hints to match a lead by. */
export type CalendlyFailureCode = 'CALENDLY_PAYLOAD_INVALID';

export interface CalendlyMatchHints {
  readonly provider: 'calendly';
  /** The invitee's email as typed on the booking page (not normalized). PII. */
  readonly inviteeEmail: string;
  /** `scheduled_event.event_guests[].email` (not normalized). PII. */
  readonly guestEmails: readonly string[];
  /**
   * Booking tokens (`recon:<leadId>.<mac>`, raw and unverified) from `tracking.utm_content` / `utm_term`,
   * in that order. Not evidence by themselves: ingest keeps a token only when its MAC verifies.
   */
  readonly utmTokens: readonly string[];
}
