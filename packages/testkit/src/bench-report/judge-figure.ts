/**
 * Whether a bench figure meets its goal. A goal is a floor ("min", ≥) or a ceiling ("max", ≤) of
 * either the ratio (value / baseline) or the value itself:
 * - the figure's `goalKind` says min or max when present; otherwise a latency goal (ms, µs, s …)
 *   and a goal of 0 (a count that must stay at zero: "≥ 0" would always hold) are maxima, any
 *   other goal a minimum;
 * - a goal next to a ratio bounds the ratio when it is ≤ 1 (`≥ 0.5 ×` the baseline) or nearer in
 *   magnitude to the ratio than to the value (`≤ 1.5 ×`); otherwise, and without a ratio, the value.
 */
import type { BenchFigure, GoalKind } from './bench-result';

const LATENCY_UNITS = new Set(['ns', 'µs', 'us', 'ms', 's']);

export interface Judgement {
  readonly kind: GoalKind;
  /** Which number the goal bounds. */
  readonly on: 'ratio' | 'value';
  readonly met: boolean;
}

/** Whether `goal` is nearer to `a` than to `b` on a log scale (a non-positive number is far from anything). */
function nearer(goal: number, a: number, b: number): boolean {
  const distance = (x: number) => (x > 0 && goal > 0 ? Math.abs(Math.log(goal / x)) : Number.POSITIVE_INFINITY);
  return distance(a) < distance(b);
}

/** null when the figure has no goal. */
export function judgeFigure(f: BenchFigure): Judgement | null {
  if (f.goal === undefined) return null;
  const on = f.ratio !== undefined && (f.goal <= 1 || nearer(f.goal, f.ratio, f.value)) ? 'ratio' : 'value';
  const kind: GoalKind = f.goalKind ?? (on === 'value' && (LATENCY_UNITS.has(f.unit) || f.goal === 0) ? 'max' : 'min');
  const x = on === 'ratio' ? (f.ratio as number) : f.value;
  return { kind, on, met: kind === 'min' ? x >= f.goal : x <= f.goal };
}
