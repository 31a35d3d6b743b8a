import { describe, expect, it } from 'vitest';
import { parseBenchResult } from './bench-result';
import { renderBenchReport } from './render-bench-report';

describe('renderBenchReport', () => {
  it('writes one row per figure with its goal and verdict, and the runs', () => {
    const md = renderBenchReport([
      {
        bench: 'b',
        at: '2026-11-30T00:00:00.000Z',
        machine: '2 x cpu | shared',
        figures: [
          { name: 'page → req/s', value: 2500, unit: 'req/s', baseline: 4000, ratio: 0.63, goal: 0.5, goalKind: 'min' },
          { name: 'p99', value: 12.5, unit: 'ms', goal: 10 },
          { name: 'p50', value: 1.2, unit: 'ms' },
        ],
      },
      { bench: 'a', at: '2026-11-29T00:00:00.000Z', machine: 'm', figures: [] },
    ]);
    expect(md).toContain('| b | page → req/s | 2,500 req/s | 4,000 req/s | 0.63 × | ≥ 0.5 × | met |');
    expect(md).toContain('| b | p99 | 12.5 ms | — | — | ≤ 10 ms | **missed** |');
    expect(md).toContain('| b | p50 | 1.2 ms | — | — | — | — |');
    expect(md).toContain('2 figures have a goal: 1 met, 1 missed.');
    expect(md).toContain('| b | 2026-11-30T00:00:00.000Z | 2 x cpu \\| shared |');
    expect(md.indexOf('| a | 2026-11-29')).toBeLessThan(md.indexOf('| b | 2026-11-30'));
  });
});

describe('parseBenchResult', () => {
  it('accepts a results file and names what is wrong with a bad one', () => {
    const good = { bench: 'x', at: 't', machine: 'm', figures: [{ name: 'n', value: 1, unit: 'ms', goalKind: 'max' }] };
    expect(parseBenchResult(good)).toEqual({ ok: true, value: good });
    expect(parseBenchResult({ ...good, figures: [{ name: 'n', value: '1', unit: 'ms' }] })).toEqual({
      ok: false,
      code: 'BENCH_RESULT_INVALID',
      message: 'figures[0].value is not a number',
    });
    expect(parseBenchResult({ ...good, figures: [{ name: 'n', value: 1, unit: 'ms', goalKind: 'up' }] })).toMatchObject(
      {
        ok: false,
      },
    );
  });
});
