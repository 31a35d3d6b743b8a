/**
 * Soak bench support: what the sampler reads each second — a process's resident memory and CPU
 * time from /proc (Linux), and recon's /metrics (largest projection lag, oldest open transaction
 * on the PostgreSQL server, which holds every projection back while it is open).
 */
import { readFileSync } from 'node:fs';

/** VmRSS (MB) and user+system CPU (clock ticks, 100 per second on Linux) of `pid`, or null once it is gone. */
export function sampleProcess(pid: number): { rssMb: number; cpuTicks: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    if (!Number.isFinite(rssKb) || !Number.isFinite(cpuTicks)) return null;
    return { rssMb: rssKb / 1024, cpuTicks };
  } catch {
    return null;
  }
}

const maxMetric = (text: string, name: string): number | null => {
  const values = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)))
    .filter((v) => Number.isFinite(v));
  return values.length === 0 ? null : Math.max(...values);
};

/** One /metrics scrape (2 s deadline); nulls when it does not answer. */
export async function scrapeMetrics(baseUrl: string): Promise<{ lagS: number | null; oldestTxS: number | null }> {
  try {
    const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
    if (response.status !== 200) return { lagS: null, oldestTxS: null };
    const text = await response.text();
    return {
      lagS: maxMetric(text, 'recon_projection_lag_seconds'),
      oldestTxS: maxMetric(text, 'recon_oldest_transaction_age_seconds'),
    };
  } catch {
    return { lagS: null, oldestTxS: null };
  }
}
