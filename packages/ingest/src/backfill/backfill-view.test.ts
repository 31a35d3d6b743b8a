import { describe, expect, it } from 'vitest';
import type { BackfillJobRow } from '../reconcile/reconcile-tables';
import { toBackfillView } from './backfill-view';

const row = (over: Partial<BackfillJobRow>): BackfillJobRow => ({
  id: 'bf_1',
  workspace_id: 'ws_1',
  status: 'running',
  providers: ['ghl'],
  range_from: null,
  range_to: null,
  cursor: { phase: 'leads' },
  leads_total: 100,
  leads_done: 0,
  events_appended: 0,
  failures: {},
  holder: 'h',
  lease_expires_at: null,
  created_at: new Date('2030-01-01T00:00:00Z'),
  started_at: new Date('2030-01-01T00:00:00Z'),
  updated_at: new Date('2030-01-01T00:00:00Z'),
  finished_at: null,
  cancel_requested: false,
  error_code: null,
  ...over,
});

describe('toBackfillView', () => {
  it('given 30 of 100 leads done in 2 minutes, then 15 leads/min and 70 leads left take 280 s', () => {
    const v = toBackfillView(row({ leads_done: 30 }), new Date('2030-01-01T00:02:00Z'));
    expect(v).toMatchObject({ ratePerMinute: 15, etaSeconds: 280, leadsDone: 30, leadsTotal: 100, phase: 'leads' });
  });
  it('given no progress yet, then rate and ETA are unknown (null), not zero or infinite', () => {
    expect(toBackfillView(row({}), new Date('2030-01-01T00:02:00Z'))).toMatchObject({
      ratePerMinute: null,
      etaSeconds: null,
    });
  });
  it('given a finished job, then the rate is over its run time and there is no ETA', () => {
    const v = toBackfillView(
      row({ status: 'completed', leads_done: 100, finished_at: new Date('2030-01-01T00:04:00Z') }),
      new Date('2030-02-01T00:00:00Z'),
    );
    expect(v).toMatchObject({ ratePerMinute: 25, etaSeconds: null, finishedAt: '2030-01-01T00:04:00.000Z' });
  });
});
