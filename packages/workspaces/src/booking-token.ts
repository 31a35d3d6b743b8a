/**
 * Signed booking tokens. A CRM puts `utm_content=recon:<leadId>.<mac>` in the booking links it
 * sends a lead; a booking that carries a valid token names its lead. The MAC is HMAC-SHA256 over
 * the lead id under a per-workspace key derived from RECON_SECRET_KEY (`booking-token:<ws>`),
 * truncated to 128 bits and base64url-encoded, so a person who books through a public link cannot
 * name another lead by editing the UTM: an unsigned or wrongly signed token is not evidence.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './derive-key';

export const BOOKING_TOKEN_PREFIX = 'recon:';
const MAC_BYTES = 16;
const MAC_CHARS = 22; // base64url of 16 bytes, no padding

export type BookingTokenCheck =
  | { readonly ok: true; readonly leadId: string }
  | { readonly ok: false; readonly code: 'BOOKING_TOKEN_UNSIGNED' | 'BOOKING_TOKEN_INVALID' };

export interface BookingTokens {
  /** `recon:<leadId>.<mac>` for the lead's booking links. */
  issue(workspaceId: string, leadId: string): string;
  /** Checks a token (with or without the `recon:` prefix); only a valid MAC names a lead. */
  verify(workspaceId: string, token: string): BookingTokenCheck;
}

export function createBookingTokens(rootSecret: string): BookingTokens {
  const keys = new Map<string, Buffer>();
  const keyFor = (workspaceId: string) => {
    let key = keys.get(workspaceId);
    if (key === undefined) {
      key = deriveKey(rootSecret, `booking-token:${workspaceId}`);
      if (keys.size > 10_000) keys.clear();
      keys.set(workspaceId, key);
    }
    return key;
  };
  const mac = (workspaceId: string, leadId: string) =>
    createHmac('sha256', keyFor(workspaceId)).update(leadId, 'utf8').digest().subarray(0, MAC_BYTES);

  return {
    issue: (workspaceId, leadId) =>
      `${BOOKING_TOKEN_PREFIX}${leadId}.${mac(workspaceId, leadId).toString('base64url')}`,
    verify: (workspaceId, token) => {
      const body = token.startsWith(BOOKING_TOKEN_PREFIX) ? token.slice(BOOKING_TOKEN_PREFIX.length) : token;
      const dot = body.lastIndexOf('.');
      if (dot <= 0 || body.length - dot - 1 !== MAC_CHARS) return { ok: false, code: 'BOOKING_TOKEN_UNSIGNED' };
      const leadId = body.slice(0, dot);
      const given = Buffer.from(body.slice(dot + 1), 'base64url');
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(workspaceId, leadId)))
        return { ok: false, code: 'BOOKING_TOKEN_INVALID' };
      return { ok: true, leadId };
    },
  };
}
