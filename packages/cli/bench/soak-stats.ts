/**
 * Soak bench support (pure): what the load generator and the sampler recorded, classified against
 * the session-kill windows and folded into the figures of bench/results/soak.json and the table
 * per 30 s. Times are epoch milliseconds (both processes read the same clock).
 */

/** One webhook delivery: sent (`s`), answered (`e`), HTTP status (0 = transport error or timeout). */
export interface DeliveryRecord {
  readonly s: number;
  readonly e: number;
  readonly st: number;
}

/** One lag probe: the delivery's 2xx answer (`a`) and the first read that saw its position (`v`, null = never). */
export interface LagRecord {
  readonly a: number;
  readonly v: number | null;
}

/** One sample of the sampler (every second). */
export interface Sample {
  readonly t: number;
  readonly rssMb: number | null;
  /** recon's CPU since the previous sample, % of one core. */
  readonly cpuPct: number | null;
  /** Largest `recon_projection_lag_seconds` of the last /metrics scrape. */
  readonly metricsLagS: number | null;
  /** `recon_oldest_transaction_age_seconds` of the last scrape (largest, any database on the server). */
  readonly oldestTxS: number | null;
}

export interface Kill {
  readonly at: number;
  readonly sessions: number;
}

export interface Window {
  readonly from: number;
  readonly to: number;
}

export const median = (values: readonly number[]): number | null => percentile(values, 50);

/** Nearest-rank percentile (null for no values). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

const overlaps = (from: number, to: number, w: Window) => from <= w.to && to >= w.from;

export const inAnyWindow = (from: number, to: number, windows: readonly Window[]) =>
  windows.some((w) => overlaps(from, to, w));

export const lagMs = (r: LagRecord): number | null => (r.v === null ? null : r.v - r.a);

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

const is2xx = (status: number) => status >= 200 && status < 300;

/** RSS growth after warm-up: median of the 15 s after warm-up → median of the last 15 s of load. */
export function rssGrowth(
  samples: readonly Sample[],
  warmupEnd: number,
  loadEnd: number,
): { fromMb: number | null; toMb: number | null; pct: number | null } {
  const rss = (from: number, to: number) =>
    median(samples.filter((s) => s.t >= from && s.t < to && s.rssMb !== null).map((s) => s.rssMb!));
  const fromMb = rss(warmupEnd, warmupEnd + 15_000);
  const toMb = rss(loadEnd - 15_000, loadEnd + 1);
  return { fromMb, toMb, pct: fromMb === null || toMb === null ? null : ((toMb - fromMb) / fromMb) * 100 };
}

/** Least-squares slope of RSS after warm-up, MB per minute. */
export function rssSlopeMbPerMin(samples: readonly Sample[], warmupEnd: number): number | null {
  const pts = samples
    .filter((s) => s.t >= warmupEnd && s.rssMb !== null)
    .map((s) => [(s.t - warmupEnd) / 60_000, s.rssMb!] as const);
  if (pts.length < 3) return null;
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? null : pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

export interface SeriesRow {
  readonly fromS: number;
  readonly toS: number;
  readonly rssMb: number | null;
  readonly cpuPct: number | null;
  readonly sent: number;
  readonly ok2xx: number;
  readonly errors: Record<string, number>;
  readonly lagP50Ms: number | null;
  readonly lagP99Ms: number | null;
  readonly lagSamples: number;
  readonly lagNeverVisible: number;
  readonly metricsLagMaxS: number | null;
  readonly oldestTxMaxS: number | null;
  readonly kill: boolean;
}

const maxOf = (values: readonly number[]) => (values.length === 0 ? null : Math.max(...values));

/** The run in buckets of `bucketMs` from `start` (the last one takes what came after `end`): deliveries by send time, lag probes by answer time. */
export function series(
  start: number,
  end: number,
  bucketMs: number,
  data: {
    deliveries: readonly DeliveryRecord[];
    lags: readonly LagRecord[];
    samples: readonly Sample[];
    kills: readonly Kill[];
  },
): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (let from = start; from < end; from += bucketMs) {
    // A last sliver shorter than a second joins the bucket before it.
    const to = end - (from + bucketMs) < 1_000 ? end : from + bucketMs;
    const inside = <T>(items: readonly T[], at: (t: T) => number) =>
      items.filter((i) => at(i) >= from && (at(i) < to || to === end));
    const ds = inside(data.deliveries, (d) => d.s);
    const ls = inside(data.lags, (l) => l.a);
    const ss = inside(data.samples, (s) => s.t);
    const lagValues = ls.map(lagMs).filter((v): v is number => v !== null);
    rows.push({
      fromS: Math.round((from - start) / 1000),
      toS: Math.round((to - start) / 1000),
      rssMb: round1(median(ss.filter((s) => s.rssMb !== null).map((s) => s.rssMb!))),
      cpuPct: round1(median(ss.filter((s) => s.cpuPct !== null).map((s) => s.cpuPct!))),
      sent: ds.length,
      ok2xx: ds.filter((d) => is2xx(d.st)).length,
      errors: countBy(
        ds.filter((d) => !is2xx(d.st)),
        (d) => String(d.st),
      ),
      lagP50Ms: round1(percentile(lagValues, 50)),
      lagP99Ms: round1(percentile(lagValues, 99)),
      lagSamples: lagValues.length,
      lagNeverVisible: ls.length - lagValues.length,
      metricsLagMaxS: round1(maxOf(ss.filter((s) => s.metricsLagS !== null).map((s) => s.metricsLagS!))),
      oldestTxMaxS: round1(maxOf(ss.filter((s) => s.oldestTxS !== null).map((s) => s.oldestTxS!))),
      kill: data.kills.some((k) => k.at >= from && k.at < to),
    });
    if (to === end) break;
  }
  return rows;
}

/** The table printed at the end of the run (one line per bucket). */
export function seriesTable(rows: readonly SeriesRow[]): string {
  const cell = (v: number | null) => (v === null ? '-' : String(v));
  const head = '   s      rss MB  cpu %   sent    2xx  lag p50  lag p99  errors            metrics lag s  oldest tx s';
  const lines = rows.map((r) =>
    [
      `${String(r.fromS).padStart(4)}-${String(r.toS).padEnd(4)}${r.kill ? '*' : ' '}`,
      cell(r.rssMb).padStart(7),
      cell(r.cpuPct).padStart(6),
      String(r.sent).padStart(6),
      String(r.ok2xx).padStart(6),
      cell(r.lagP50Ms).padStart(8),
      cell(r.lagP99Ms).padStart(8),
      ' ' +
        (
          Object.entries(r.errors)
            .map(([k, v]) => `${k}:${v}`)
            .join(' ') || '-'
        ).padEnd(16),
      cell(r.metricsLagMaxS).padStart(14),
      cell(r.oldestTxMaxS).padStart(12),
    ].join(' '),
  );
  return [
    head,
    ...lines,
    '(* = a session kill in this interval; lag in ms; errors by HTTP status, 0 = transport error/timeout)',
  ].join('\n');
}
