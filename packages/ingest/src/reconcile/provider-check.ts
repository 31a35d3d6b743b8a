/**
 * The result of asking one provider about one lead: the outcome that becomes the lead's
 * `LeadProviderChecked` watermark (or `skipped` when the provider cannot be asked about this lead,
 * e.g. no GHL contact id), and the observations to decide and append. Observations found before a
 * failure are kept: evidence is evidence even when the check as a whole failed.
 */
import type { ObserveProviderAppointment, Provider, ProviderCheckOutcome } from '@recon/domain';
import type { AppointmentMatchKeys } from '../appointments/appointment-decider';

export interface FoundObservation {
  readonly observation: ObserveProviderAppointment;
  readonly matchKeys: AppointmentMatchKeys;
}

export type CheckOutcome = ProviderCheckOutcome | { readonly kind: 'skipped'; readonly code: string };

export interface ProviderCheckResult {
  readonly provider: Provider;
  readonly outcome: CheckOutcome;
  readonly observations: readonly FoundObservation[];
  /**
   * GHL, when the contact's list was read: every known appointment found missing, with the time it
   * was first seen missing (earlier mark kept). Known appointments not in it are not missing.
   */
  readonly missing?: ReadonlyMap<string, string>;
}

export interface CheckContext {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly source: 'poller' | 'backfill' | 'manual';
  readonly observedAt: string;
  /** Backfill range on the meeting's start time (ISO instants), inclusive from, exclusive to. */
  readonly range?: { readonly from?: string | undefined; readonly to?: string | undefined };
}

export function inRange(startAt: string, range: CheckContext['range']): boolean {
  if (!range) return true;
  const t = Date.parse(startAt);
  if (range.from !== undefined && t < Date.parse(range.from)) return false;
  if (range.to !== undefined && t >= Date.parse(range.to)) return false;
  return true;
}

export function outcomeOf(found: number, failureCode: string | null): ProviderCheckOutcome {
  if (failureCode !== null) return { kind: 'failed', code: failureCode };
  return found > 0 ? { kind: 'found', count: found } : { kind: 'none' };
}
