import { describe, expect, it } from 'vitest';
import type { BenchFigure } from './bench-result';
import { judgeFigure } from './judge-figure';

const fig = (f: Partial<BenchFigure>): BenchFigure => ({ name: 'f', value: 1, unit: 'req/s', ...f });

describe('judgeFigure', () => {
  it('has no judgement without a goal', () => {
    expect(judgeFigure(fig({ value: 5, baseline: 10, ratio: 0.5 }))).toBeNull();
  });

  it('reads a goal ≤ 1 next to a ratio as a floor of the ratio', () => {
    expect(judgeFigure(fig({ value: 57, baseline: 98, ratio: 0.58, goal: 0.5 }))).toEqual({
      kind: 'min',
      on: 'ratio',
      met: true,
    });
    expect(judgeFigure(fig({ value: 457, unit: 'events/s', baseline: 2074, ratio: 0.22, goal: 0.6 }))?.met).toBe(false);
    // the value's unit does not matter when the goal is on the ratio
    expect(judgeFigure(fig({ value: 20.6, unit: 's', baseline: 20.2, ratio: 0.98, goal: 0.9 }))).toEqual({
      kind: 'min',
      on: 'ratio',
      met: true,
    });
  });

  it('reads a latency goal as a ceiling of the value and any other as a floor', () => {
    expect(judgeFigure(fig({ value: 126, unit: 'ms', goal: 10 }))).toEqual({ kind: 'max', on: 'value', met: false });
    expect(judgeFigure(fig({ value: 9.5, unit: 'ms', goal: 10 }))?.met).toBe(true);
    expect(judgeFigure(fig({ value: 10, unit: 'ms', goal: 10 }))?.met).toBe(true);
    expect(judgeFigure(fig({ value: 35.5, unit: '%', goal: 90 }))).toEqual({ kind: 'min', on: 'value', met: false });
    expect(judgeFigure(fig({ value: 30_000, unit: 'events/s', goal: 30_000 }))?.met).toBe(true);
  });

  it('reads a goal of 0 as "stays at zero"', () => {
    expect(judgeFigure(fig({ value: 0, unit: 'count', goal: 0 }))).toEqual({ kind: 'max', on: 'value', met: true });
    expect(judgeFigure(fig({ value: 3, unit: 'count', goal: 0 }))?.met).toBe(false);
  });

  it("bounds the value, not the ratio, when the goal is of the value's magnitude", () => {
    expect(judgeFigure(fig({ value: 473, baseline: 1085, ratio: 0.44, goal: 3000 }))).toEqual({
      kind: 'min',
      on: 'value',
      met: false,
    });
  });

  it('follows an explicit goalKind', () => {
    expect(judgeFigure(fig({ value: -9.8, unit: '%', goal: 10, goalKind: 'max' }))).toEqual({
      kind: 'max',
      on: 'value',
      met: true,
    });
    expect(judgeFigure(fig({ value: 5, unit: 'ms', goal: 10, goalKind: 'min' }))?.met).toBe(false);
    // a ceiling of the ratio above 1: "≤ 1.5 × the time of the first check"
    expect(
      judgeFigure(fig({ value: 3.1, unit: 'ms', baseline: 2.5, ratio: 1.24, goal: 1.5, goalKind: 'max' })),
    ).toEqual({ kind: 'max', on: 'ratio', met: true });
    expect(
      judgeFigure(fig({ value: 0.5, unit: 'ms', baseline: 0.2, ratio: 2.5, goal: 1.5, goalKind: 'max' }))?.met,
    ).toBe(false);
  });
});
