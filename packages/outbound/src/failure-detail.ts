/**
 * What lay behind a failed outbound exchange, as a code for logs (never a message, URL or address):
 * the outbound refusal (`OUTBOUND_…`), `TIMEOUT`, or the system error code (`ECONNREFUSED`,
 * `ENOTFOUND`, a TLS code…) found on the error or its causes; `NETWORK_ERROR` otherwise.
 */
import { outboundRefusalCode } from './outbound-error';

export function outboundFailureDetail(error: unknown): string {
  const refused = outboundRefusalCode(error);
  if (refused !== null) return refused;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TIMEOUT';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code)) return code;
    e = e.cause;
  }
  return 'NETWORK_ERROR';
}
