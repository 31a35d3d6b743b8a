/**
 * The save-time rule for a URL recon will call later (a provider's `apiBaseUrl`, a workspace's
 * `notifyUrl`): https only, no credentials in it, and a host that is not a literal address in a
 * blocked range. A hostname passes here; what it resolves to is checked again at connect time
 * (see guarded-fetch.ts), since DNS can change after saving. `allowPrivate` lifts the scheme and
 * address rules for self-hosted simulators, the demo and tests (RECON_ALLOW_PRIVATE_URLS=1, read
 * by the api's loadConfig and passed down explicitly: this package never reads the environment).
 */
import { isIP } from 'node:net';
import { isBlockedAddress } from './blocked-addresses';

export type OutboundUrlCode = 'OUTBOUND_URL_INVALID' | 'OUTBOUND_URL_NOT_HTTPS' | 'OUTBOUND_URL_PRIVATE_ADDRESS';

export type OutboundUrlCheck =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly code: OutboundUrlCode };

export interface OutboundPolicy {
  /** Allow http and private/loopback addresses (simulators, demo, tests). Default false. */
  readonly allowPrivate: boolean;
}

/** The host of a URL as an IP literal (brackets of IPv6 removed), or null for a hostname. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) !== 0 ? host : null;
}

export function checkOutboundUrl(raw: string, policy: OutboundPolicy): OutboundUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, code: 'OUTBOUND_URL_INVALID' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, code: 'OUTBOUND_URL_INVALID' };
  if (url.username !== '' || url.password !== '') return { ok: false, code: 'OUTBOUND_URL_INVALID' };
  if (policy.allowPrivate) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, code: 'OUTBOUND_URL_NOT_HTTPS' };
  const literal = literalAddress(url);
  if (literal !== null && isBlockedAddress(literal)) return { ok: false, code: 'OUTBOUND_URL_PRIVATE_ADDRESS' };
  // WHATWG URL parsing already turned decimal/octal/hex IPv4 forms (http://2130706433/) into dotted quads.
  if (url.hostname === 'localhost' || url.hostname.endsWith('.localhost'))
    return { ok: false, code: 'OUTBOUND_URL_PRIVATE_ADDRESS' };
  return { ok: true, url };
}
