/**
 * Reconciliation as a platform cron would run it: `POST /v1/cron/reconcile` until no lead is due
 * (or a tick checks none); the totals of its answers.
 */
import type { ProgressReporter } from '../progress/progress-reporter';
import { demoCall } from './demo-http';

export interface ReconciliationTotals {
  readonly leadsChecked: number;
  readonly eventsAppended: number;
  readonly failures: number;
  readonly ticks: number;
  readonly seconds: number;
}

export async function runReconciliation(
  url: string,
  cronSecret: string,
  bar?: ProgressReporter,
): Promise<ReconciliationTotals> {
  const started = Date.now();
  const totals = { leadsChecked: 0, eventsAppended: 0, failures: 0, ticks: 0 };
  for (;;) {
    const tick = await demoCall(`${url}/v1/cron/reconcile`, 'POST', [200], {
      token: cronSecret,
      body: { maxLeads: 1000, timeBudgetMs: 60_000 },
    });
    totals.ticks += 1;
    totals.leadsChecked += Number(tick['leadsChecked'] ?? 0);
    totals.eventsAppended += Number(tick['eventsAppended'] ?? 0);
    totals.failures += Number(tick['failures'] ?? 0);
    const remaining = Number(tick['remaining'] ?? 0);
    bar?.update({ done: totals.leadsChecked, total: totals.leadsChecked + remaining });
    if (remaining === 0 || totals.ticks >= 100 || Number(tick['leadsChecked'] ?? 0) === 0) break;
  }
  bar?.finish();
  return { ...totals, seconds: (Date.now() - started) / 1000 };
}
