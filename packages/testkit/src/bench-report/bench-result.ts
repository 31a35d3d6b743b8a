/**
 * The shape every bench writes to `bench/results/<bench>.json`, checked where the report reads it
 * (a file is a boundary: a bench that writes a wrong shape is named, not silently skipped).
 */

export type GoalKind = 'min' | 'max';

export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  /** value / baseline, measured in the same run. */
  readonly ratio?: number;
  readonly goal?: number;
  /** "min": the goal is a floor (≥); "max": a ceiling (≤). Inferred when absent (see judgeFigure). */
  readonly goalKind?: GoalKind;
}

export interface BenchResult {
  readonly bench: string;
  readonly at: string;
  readonly machine: string;
  readonly figures: readonly BenchFigure[];
}

export type ParseBenchResult =
  | { readonly ok: true; readonly value: BenchResult }
  | { readonly ok: false; readonly code: 'BENCH_RESULT_INVALID'; readonly message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalNumber = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));

function figureProblem(f: unknown, i: number): string | null {
  if (!isRecord(f)) return `figures[${i}] is not an object`;
  if (typeof f['name'] !== 'string') return `figures[${i}].name is not a string`;
  if (typeof f['value'] !== 'number' || !Number.isFinite(f['value'])) return `figures[${i}].value is not a number`;
  if (typeof f['unit'] !== 'string') return `figures[${i}].unit is not a string`;
  for (const k of ['baseline', 'ratio', 'goal']) if (!optionalNumber(f[k])) return `figures[${i}].${k} is not a number`;
  if (f['goalKind'] !== undefined && f['goalKind'] !== 'min' && f['goalKind'] !== 'max')
    return `figures[${i}].goalKind is not "min" or "max"`;
  return null;
}

/** Checks a parsed results file; the value keeps only the known fields. */
export function parseBenchResult(data: unknown): ParseBenchResult {
  const invalid = (message: string) => ({ ok: false, code: 'BENCH_RESULT_INVALID', message }) as const;
  if (!isRecord(data)) return invalid('not an object');
  for (const k of ['bench', 'at', 'machine']) if (typeof data[k] !== 'string') return invalid(`${k} is not a string`);
  const figures = data['figures'];
  if (!Array.isArray(figures)) return invalid('figures is not an array');
  for (const [i, f] of figures.entries()) {
    const problem = figureProblem(f, i);
    if (problem !== null) return invalid(problem);
  }
  return {
    ok: true,
    value: {
      bench: data['bench'] as string,
      at: data['at'] as string,
      machine: data['machine'] as string,
      figures: (figures as Record<string, unknown>[]).map((f) => ({
        name: f['name'] as string,
        value: f['value'] as number,
        unit: f['unit'] as string,
        ...(f['baseline'] !== undefined ? { baseline: f['baseline'] as number } : {}),
        ...(f['ratio'] !== undefined ? { ratio: f['ratio'] as number } : {}),
        ...(f['goal'] !== undefined ? { goal: f['goal'] as number } : {}),
        ...(f['goalKind'] !== undefined ? { goalKind: f['goalKind'] as GoalKind } : {}),
      })),
    },
  };
}
