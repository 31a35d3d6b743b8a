/** Formats instants the way GHL sends them: naive wall-clock in the location zone, or ISO with offset. */
import { zoneOffsetMs } from '@recon/domain';

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** `YYYY-MM-DDTHH:mm:ss±HH:MM` in `timeZone`. */
export function isoWithOffset(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMs(epochMs, timeZone);
  const wall = new Date(Math.floor(epochMs / 1000) * 1000 + offset).toISOString().slice(0, 19);
  const mins = Math.round(offset / 60_000);
  const sign = mins < 0 ? '-' : '+';
  return `${wall}${sign}${pad(Math.trunc(Math.abs(mins) / 60))}:${pad(Math.abs(mins) % 60)}`;
}

/** `YYYY-MM-DD HH:mm:ss` wall clock in `timeZone` (no zone: the contact endpoint's format). */
export function naiveLocal(epochMs: number, timeZone: string): string {
  return isoWithOffset(epochMs, timeZone).slice(0, 19).replace('T', ' ');
}

/** Calendly's UTC format with microseconds: `2026-03-10T15:00:00.000000Z`. */
export function calendlyTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '000Z');
}
