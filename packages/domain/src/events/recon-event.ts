/** Every event recon stores, as one union, and its parser for readers at the store boundary. */
import { z } from 'zod';
import { AppointmentEvent } from './appointment-events';
import { LeadEvent } from './lead-events';

export const ReconEvent = z.union([LeadEvent, AppointmentEvent]);
export type ReconEvent = z.infer<typeof ReconEvent>;
export type ReconEventType = ReconEvent['type'];

export type ParseEventResult =
  | { readonly ok: true; readonly value: ReconEvent }
  | { readonly ok: false; readonly code: 'EVENT_UNKNOWN_TYPE' | 'EVENT_INVALID'; readonly issues: readonly string[] };

/** Parses a stored event (type + data) into the typed union; never throws. */
export function parseReconEvent(type: string, data: unknown): ParseEventResult {
  const parsed = ReconEvent.safeParse({ type, data });
  if (parsed.success) return { ok: true, value: parsed.data };
  const known = [...LeadEvent.options, ...AppointmentEvent.options].some((o) => o.shape.type.value === type);
  return {
    ok: false,
    code: known ? 'EVENT_INVALID' : 'EVENT_UNKNOWN_TYPE',
    issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`),
  };
}
