/**
 * A provider read as observations: client calls + domain mapping in one step. A call failure fails
 * the whole read with its code (never a partial "none found"); an appointment the domain cannot map
 * is listed in `skipped` with its code, so the caller can report a partial check instead of dropping
 * it silently. Hints carry PII for matching only: never log them.
 */
import type { MappedObservation } from '@recon/domain';

export interface ObservationRead<H> {
  readonly observations: readonly MappedObservation<H>[];
  /** Appointments seen but not mappable, by provider id and domain code (no payload values). */
  readonly skipped: readonly { readonly providerAppointmentId: string; readonly code: string }[];
}
