/**
 * The gate a booking's UTM tokens pass before they name a lead. A CRM puts the `bookingToken` recon
 * issued for a lead (`recon:<leadId>.<mac>`, MAC under a per-workspace key) in the lead's booking
 * links; a booking page is public, so whoever books can write any `utm_content`. Only a token whose
 * MAC verifies for the delivery's workspace yields its lead id, for matching and for the match keys
 * recorded with the appointment; an unsigned or wrongly signed one is ignored (the booking is matched
 * by its other keys or stays unmatched) and counted by provider and reason for /metrics.
 * Nothing is logged here: the lead id of a refused token is never written anywhere.
 */
import type { Provider } from '@recon/domain';
import { createBookingTokens, type BookingTokens } from '@recon/workspaces';

/** Why a token was not used: no MAC at all (`unsigned`), or a MAC that does not verify (`invalid`). */
export type BookingTokenRefusalReason = 'unsigned' | 'invalid';

export interface BookingTokenRefusalCount {
  readonly provider: Provider;
  readonly reason: BookingTokenRefusalReason;
  readonly count: number;
}

export interface BookingTokenGate {
  /** The token for a lead's booking links (`utm_content`). */
  issue(workspaceId: string, leadId: string): string;
  /**
   * The lead ids named by validly signed tokens, in token order, deduplicated; every other token is
   * counted (provider, reason) and dropped.
   */
  leadIds(workspaceId: string, provider: Provider, tokens: readonly string[]): string[];
  /** Refusals since the gate was created, by provider and reason (for /metrics). */
  refusals(): readonly BookingTokenRefusalCount[];
}

export function bookingTokenGate(tokens: BookingTokens): BookingTokenGate {
  const counts = new Map<string, BookingTokenRefusalCount>();
  const refuse = (provider: Provider, reason: BookingTokenRefusalReason) => {
    const key = `${provider}:${reason}`;
    counts.set(key, { provider, reason, count: (counts.get(key)?.count ?? 0) + 1 });
  };
  return {
    issue: (workspaceId, leadId) => tokens.issue(workspaceId, leadId),
    leadIds: (workspaceId, provider, given) => {
      const out: string[] = [];
      for (const token of given) {
        const check = tokens.verify(workspaceId, token);
        if (!check.ok) refuse(provider, check.code === 'BOOKING_TOKEN_UNSIGNED' ? 'unsigned' : 'invalid');
        else if (!out.includes(check.leadId)) out.push(check.leadId);
      }
      return out;
    },
    refusals: () => [...counts.values()],
  };
}

/** The gate under RECON_SECRET_KEY (the same key the lead routes issue tokens with). */
export function createBookingTokenGate(rootSecret: string): BookingTokenGate {
  return bookingTokenGate(createBookingTokens(rootSecret));
}
