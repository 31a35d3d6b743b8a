/**
 * The save-time rule for a provider's `apiBaseUrl` (every module's credentials may override its
 * API's base URL, e.g. a self-hosted simulator): @recon/outbound's URL rule under the caller's
 * policy — https only, and no literal private, loopback, link-local, unique-local or metadata
 * address. A hostname passes here; what it resolves to is checked again when it is called.
 */
import { checkOutboundUrl, type OutboundPolicy, type OutboundUrlCode } from '@recon/outbound';

export type ApiBaseUrlCheck = { readonly ok: true } | { readonly ok: false; readonly code: OutboundUrlCode };

/** Checks `input.apiBaseUrl` when the (already schema-valid) credentials carry one. */
export function checkApiBaseUrl(input: unknown, policy: OutboundPolicy): ApiBaseUrlCheck {
  const url =
    typeof input === 'object' && input !== null ? (input as { readonly apiBaseUrl?: unknown }).apiBaseUrl : undefined;
  if (url === undefined || url === null) return { ok: true };
  if (typeof url !== 'string') return { ok: false, code: 'OUTBOUND_URL_INVALID' };
  const checked = checkOutboundUrl(url, policy);
  return checked.ok ? { ok: true } : { ok: false, code: checked.code };
}
