/**
 * The range of a backfill requested over HTTP, bounded: the span may not exceed `maxDays`
 * (RECON_BACKFILL_MAX_DAYS, default 730), so one request cannot ask for a century of provider
 * pages. Pure.
 * - neither end given: no range (null, null) — a full check of every lead, which may conclude "not
 *   booked"; the runner bounds its window scans itself (two years back, one ahead);
 * - only `from`: `to` = `from` + `maxDays`; only `to`: `from` = `to` − `maxDays`.
 */
export const DEFAULT_BACKFILL_MAX_DAYS = 730;

const DAY_MS = 86_400_000;

export type BackfillRange =
  | { readonly ok: true; readonly from: string | null; readonly to: string | null }
  | { readonly ok: false; readonly code: 'BACKFILL_RANGE_INVALID' | 'BACKFILL_RANGE_TOO_LONG' };

export function resolveBackfillRange(
  given: { readonly from?: string | undefined; readonly to?: string | undefined },
  maxDays: number = DEFAULT_BACKFILL_MAX_DAYS,
): BackfillRange {
  if (given.from === undefined && given.to === undefined) return { ok: true, from: null, to: null };
  const span = maxDays * DAY_MS;
  let from = given.from === undefined ? null : Date.parse(given.from);
  let to = given.to === undefined ? null : Date.parse(given.to);
  if (from === null) from = (to as number) - span;
  if (to === null) to = from + span;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
    return { ok: false, code: 'BACKFILL_RANGE_INVALID' };
  if (to - from > span) return { ok: false, code: 'BACKFILL_RANGE_TOO_LONG' };
  return { ok: true, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
