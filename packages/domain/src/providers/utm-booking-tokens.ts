/**
 * Booking tokens carried in a booking's UTM fields (`utm_content`, `utm_term`): the raw
 * `recon:<leadId>.<mac>` strings, trimmed and deduplicated, in field order. The domain only
 * collects them; ingest verifies each one's MAC for the delivery's workspace before it names a
 * lead (an unsigned or wrongly signed token is ignored for matching). A token is at most 256
 * characters (`recon:` + a lead id of up to 200 + `.` + a 22-character MAC, with room to spare).
 */
const BOOKING_TOKEN = /^recon:.{1,250}$/;
const MAX_TOKENS = 10;

export function utmBookingTokens(values: readonly (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    const token = value?.trim() ?? '';
    if (BOOKING_TOKEN.test(token) && !out.includes(token) && out.length < MAX_TOKENS) out.push(token);
  }
  return out;
}
