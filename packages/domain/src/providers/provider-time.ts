/**
 * Provider time strings → recon `Instant`s (UTC, millisecond ISO). GHL's contact endpoint sends
 * naive wall-clock times (`YYYY-MM-DD HH:mm:ss`) in the location's timezone; everything else
 * carries `Z` or an offset. The zone offset is computed with Intl.DateTimeFormat (pure, no tz
 * database of our own), resolving DST gaps and overlaps the way java.time / Temporal do by default
 * ("compatible": a gap moves forward, an overlap takes the earlier instant).
 */
import type { ProviderResult } from './provider-parse-result';

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset (ms) of `timeZone` from UTC at the instant `epochMs`: wall clock minus UTC. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const truncated = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return wall - truncated;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Converts a provider time to a UTC instant (`2030-06-18T15:00:00.000Z`). Times with a zone are
 * converted directly; naive times are read as wall-clock time in `timeZone` (null → failure).
 */
export function toUtcInstant(
  value: string,
  timeZone: string | null,
): ProviderResult<string, 'GHL_TIME_INVALID' | 'GHL_TIMEZONE_INVALID'> {
  if (WITH_ZONE.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return { ok: false, code: 'GHL_TIME_INVALID', issues: ['time: unparseable'] };
    return { ok: true, value: new Date(ms).toISOString() };
  }
  const m = NAIVE.exec(value);
  if (!m) return { ok: false, code: 'GHL_TIME_INVALID', issues: ['time: unknown format'] };
  if (timeZone === null || !isKnownTimeZone(timeZone)) {
    return { ok: false, code: 'GHL_TIMEZONE_INVALID', issues: ['timeZone: unknown'] };
  }
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Number((frac ?? '0').padEnd(3, '0').slice(0, 3));
  const wallAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  const check = new Date(wallAsUtc);
  if (Number.isNaN(wallAsUtc) || check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) {
    return { ok: false, code: 'GHL_TIME_INVALID', issues: ['time: out of range'] };
  }
  // Two candidate offsets: the one just before and just after the wall time (they differ only near a DST switch).
  const before = zoneOffsetMs(wallAsUtc - 86_400_000, timeZone);
  const after = zoneOffsetMs(wallAsUtc + 86_400_000, timeZone);
  const candidates = [wallAsUtc - before, wallAsUtc - after].filter((t) => t + zoneOffsetMs(t, timeZone) === wallAsUtc);
  // Overlap: two valid instants, take the earlier; gap: none valid, shift forward by the gap (use the pre-switch offset).
  const epoch = candidates.length > 0 ? Math.min(...candidates) : wallAsUtc - before;
  return { ok: true, value: new Date(epoch).toISOString() };
}
