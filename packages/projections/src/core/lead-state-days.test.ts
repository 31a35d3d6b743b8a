import { initialLeadLifecycle, type ReconEvent } from '@recon/domain';
import { describe, expect, it } from 'vitest';
import { initialLeadRow, type LeadRowState } from './lead-row';
import { addDayDeltas, countLead, dayCounterRows, factTime, type CountedState, type DayDelta } from './lead-state-days';

/** A lead row in a state; a booked one with a scheduled meeting ending at `endAt`. */
function row(state: string, endAt?: string, counted?: CountedState): LeadRowState {
  const fold = {
    ...initialLeadLifecycle(),
    bookingState: state,
    ...(endAt === undefined
      ? {}
      : {
          currentAppointmentId: 'a1',
          appointments: {
            a1: { provider: 'ghl', providerAppointmentId: 'a1', status: 'scheduled', startAt: endAt, endAt },
          },
        }),
  } as unknown as LeadRowState['fold'];
  return { ...initialLeadRow('ws', 'l1'), fold, ...(counted === undefined ? {} : { counted }) };
}

/** The running per-state totals at the end of each day, from counter changes. */
function series(deltas: readonly DayDelta[], days: readonly string[]): Record<string, number>[] {
  const m = new Map<string, number>();
  addDayDeltas(m, 'ws', deltas);
  const rows = dayCounterRows(m);
  return days.map((d) => {
    const out: Record<string, number> = {};
    for (const r of rows) {
      if ((r['day'] as string) > d) continue;
      out[r['state'] as string] = (out[r['state'] as string] ?? 0) + (r['value'] as number);
    }
    return Object.fromEntries(Object.entries(out).filter(([, n]) => n !== 0));
  });
}

describe('factTime', () => {
  const sentiment = (classifiedAt: string): ReconEvent => ({
    type: 'LeadSentimentClassified',
    data: { workspaceId: 'ws', leadId: 'l1', label: 'Meeting Booked', classifiedAt },
  });
  it('is the source time when it precedes the recording, else the recording time', () => {
    expect(factTime(sentiment('2030-01-02T00:00:00.000Z'), '2030-01-05T00:00:00.000Z')).toBe(
      '2030-01-02T00:00:00.000Z',
    );
    expect(factTime(sentiment('2030-01-09T00:00:00.000Z'), '2030-01-05T00:00:00.000Z')).toBe(
      '2030-01-05T00:00:00.000Z',
    );
  });
});

describe('countLead', () => {
  it('counts a first state from its time, and a later change from the change', () => {
    const first = countLead(row('not_booked'), '2030-01-02T10:00:00.000Z');
    const second = countLead(row('canceled', undefined, first.row.counted), '2030-01-04T10:00:00.000Z');
    expect(second.row.counted).toEqual({
      state: 'canceled',
      endAt: null,
      at: '2030-01-04T10:00:00.000Z',
      first: false,
    });
    expect(series([...first.deltas, ...second.deltas], ['2030-01-01', '2030-01-03', '2030-01-04'])).toEqual([
      {},
      { not_booked: 1 },
      { canceled: 1 },
    ]);
  });

  it('moves a booked lead to completed on the day its meeting ends; a change before then undoes it', () => {
    const booked = countLead(row('booked', '2030-01-06T09:30:00.000Z'), '2030-01-02T10:00:00.000Z');
    const days = ['2030-01-02', '2030-01-05', '2030-01-06'];
    expect(series(booked.deltas, days)).toEqual([{ booked: 1 }, { booked: 1 }, { completed: 1 }]);
    const canceled = countLead(row('canceled', undefined, booked.row.counted), '2030-01-04T10:00:00.000Z');
    expect(series([...booked.deltas, ...canceled.deltas], days)).toEqual([
      { booked: 1 },
      { canceled: 1 },
      { canceled: 1 },
    ]);
  });

  it('moves a first state back to an earlier fact, but never runs a changed lead backwards', () => {
    const registered = countLead(row('unknown'), '2030-01-05T10:00:00.000Z');
    const checked = countLead(row('not_booked', undefined, registered.row.counted), '2030-01-02T10:00:00.000Z');
    expect(checked.row.counted).toMatchObject({ at: '2030-01-02T10:00:00.000Z', first: true });
    const days = ['2030-01-01', '2030-01-02', '2030-01-05'];
    expect(series([...registered.deltas, ...checked.deltas], days)).toEqual([{}, { not_booked: 1 }, { not_booked: 1 }]);
    const moved = countLead(
      row('canceled', undefined, { ...(checked.row.counted as CountedState), first: false }),
      '2029-12-30T00:00:00.000Z',
    );
    expect(moved.row.counted).toMatchObject({ state: 'canceled', at: '2030-01-02T10:00:00.000Z', first: false });
    expect(series([...registered.deltas, ...checked.deltas, ...moved.deltas], days)).toEqual([
      {},
      { canceled: 1 },
      { canceled: 1 },
    ]);
  });

  it('adds nothing when what the lead counts as did not change', () => {
    const first = countLead(row('not_booked'), '2030-01-02T10:00:00.000Z');
    expect(countLead(first.row, '2030-01-03T10:00:00.000Z').deltas).toEqual([]);
  });
});
