/** What Cal.com mapping yields beside the observation: its failure code and the hints to match a lead by. */

/**
 * The code an unreadable Cal.com payload fails with. Generic on purpose: a new provider needs no
 * new row in the error table (422, see docs/errors.md).
 */
export const CALCOM_PAYLOAD_INVALID = 'PROVIDER_PAYLOAD_INVALID' as const;
export type CalcomFailureCode = typeof CALCOM_PAYLOAD_INVALID;

export interface CalcomMatchHints {
  readonly provider: 'calcom';
  /** The booker's email (`attendees[0]`, else `responses.email`), as typed (not normalized). PII. */
  readonly attendeeEmail: string;
  /** The other attendees and `responses.guests` (not normalized). PII. */
  readonly guestEmails: readonly string[];
  /**
   * Booking tokens (`recon:<leadId>.<mac>`, raw and unverified) from `tracking.utm_content` / `utm_term`,
   * in that order. Not evidence by themselves: ingest keeps a token only when its MAC verifies.
   */
  readonly utmTokens: readonly string[];
}
