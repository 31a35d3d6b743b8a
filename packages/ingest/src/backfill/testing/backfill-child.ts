/**
 * Test support: runs one backfill job in its own process (so a test can kill -9 it mid-way), against
 * a database and the simulators a parent test started (credentials in the database point at them).
 * Env: DATABASE_URL, JOB_ID, HOLDER, LEASE_TTL_MS, PAGE_SIZE, GHL_MAX, GHL_WINDOW_MS, CAL_MAX,
 * CAL_WINDOW_MS. Prints one
 * JSON line per saved page and a final `{"done": …}` line. While a dead runner's lease has not
 * expired yet, it retries the claim (up to 20 s).
 */
import { runBackfill } from '../run-backfill';
import { startHarness } from '../../reconcile/testing/reconcile-harness';

const env = (k: string): string => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`missing ${k}`);
  return v;
};

const h = await startHarness({
  name: 'backfill-child',
  databaseUrl: env('DATABASE_URL'),
  simulators: false,
  ghlClientLimit: { maxRequests: Number(env('GHL_MAX')), intervalMs: Number(env('GHL_WINDOW_MS')) },
  calendlyClientLimit: { maxRequests: Number(env('CAL_MAX')), intervalMs: Number(env('CAL_WINDOW_MS')) },
});
const deadline = Date.now() + 20_000;
for (;;) {
  const r = await runBackfill(h.deps, {
    jobId: env('JOB_ID'),
    holder: env('HOLDER'),
    leaseTtlMs: Number(env('LEASE_TTL_MS')),
    pageSize: Number(env('PAGE_SIZE')),
    concurrency: 1,
    onProgress: (v) =>
      process.stdout.write(`${JSON.stringify({ leadsDone: v.leadsDone, phase: v.phase, status: v.status })}\n`),
  });
  if (!r.ok && r.code === 'BACKFILL_BUSY' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    continue;
  }
  process.stdout.write(`${JSON.stringify({ done: r.ok ? r.view.status : r.code })}\n`);
  break;
}
await h.close();
