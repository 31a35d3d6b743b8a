/**
 * What the caller knows when it maps a provider fact: whose workspace, how it was seen (webhook,
 * poller, backfill), when, and the lead if already matched. Mapping functions return the
 * observation plus *match hints*: the raw identifiers ingest hashes and looks up to find the lead
 * (the domain cannot hash: no crypto here). Hints hold PII (emails): use them to match, never
 * store or log them.
 */
import { ObserveProviderAppointment } from '../observation';
import type { ObservationSource } from '../events/primitives';
import { type ProviderResult, describeIssues } from './provider-parse-result';

export interface ObservationContext {
  readonly workspaceId: string;
  readonly source: ObservationSource;
  /** ISO-8601 UTC instant (the caller's clock). */
  readonly observedAt: string;
  /** The matched lead, when the caller already knows it; default null (match later with the hints). */
  readonly leadId?: string | null;
}

export interface MappedObservation<H> {
  readonly observation: ObserveProviderAppointment;
  readonly hints: H;
}

/** Validates the assembled observation (ids too long, bad workspace id…) under the provider's code. */
export function finishObservation<H, C extends string>(
  draft: Omit<ObserveProviderAppointment, 'type' | 'workspaceId' | 'leadId' | 'source' | 'observedAt'>,
  hints: H,
  ctx: ObservationContext,
  code: C,
): ProviderResult<MappedObservation<H>, C> {
  const parsed = ObserveProviderAppointment.safeParse({
    type: 'ObserveProviderAppointment',
    workspaceId: ctx.workspaceId,
    leadId: ctx.leadId ?? null,
    source: ctx.source,
    observedAt: ctx.observedAt,
    ...draft,
  });
  if (!parsed.success) return { ok: false, code, issues: describeIssues(parsed.error).map((i) => `observation.${i}`) };
  return { ok: true, value: { observation: parsed.data, hints } };
}

/** Later of two ISO instants (either may be null). */
export function laterInstant(a: string | null | undefined, b: string | null | undefined): string | null {
  const ta = a ? Date.parse(a) : NaN;
  const tb = b ? Date.parse(b) : NaN;
  if (Number.isNaN(ta)) return Number.isNaN(tb) ? null : new Date(tb).toISOString();
  if (Number.isNaN(tb)) return new Date(ta).toISOString();
  return new Date(Math.max(ta, tb)).toISOString();
}
