/** Why an outbound request was refused before or while it ran (errors as values, thrown through fetch). */
import type { OutboundUrlCode } from './outbound-url';

export type OutboundRefusalCode =
  | OutboundUrlCode
  | 'OUTBOUND_ADDRESS_BLOCKED'
  | 'OUTBOUND_REDIRECT_REFUSED'
  | 'OUTBOUND_RESPONSE_TOO_LARGE';

export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
  constructor(readonly code: OutboundRefusalCode) {
    super(code);
  }
}

/** The refusal code carried by an error (directly or as a fetch failure's cause), else null. */
export function outboundRefusalCode(error: unknown): OutboundRefusalCode | null {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    if (e instanceof OutboundRefused) return e.code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
