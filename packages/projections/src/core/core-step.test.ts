// Issue 13, defect 7 (pure): a `WorkspaceRulesChanged` folded by the core step re-evaluates the
// workspace's leads (mismatches opened and closed as of the change), and only that workspace's.
import type { ReconEvent, WorkspaceEvent } from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_RULES } from '@recon/domain';
import { foldHistory, leadKey, type StepContext } from './core-step';

const ctx: StepContext = { comparePositions: (a, b) => Number(a) - Number(b), rulesFor: () => DEFAULT_WORKSPACE_RULES };

function leadHistory(workspaceId: string, leadId: string): ReconEvent[] {
  const ref = { workspaceId, leadId };
  return [
    {
      type: 'LeadRegistered',
      data: {
        ...ref,
        emailHash: null,
        alternateEmailHashes: [],
        ghlContactId: null,
        registeredAt: '2026-05-01T00:00:00.000Z',
      },
    },
    {
      type: 'LeadSentimentClassified',
      data: { ...ref, label: 'Interested', classifiedAt: '2026-05-02T00:00:00.000Z' },
    },
    {
      type: 'LeadProviderChecked',
      data: { ...ref, provider: 'ghl', outcome: { kind: 'none' }, checkedAt: '2026-05-03T00:00:00.000Z' },
    },
    {
      type: 'LeadProviderChecked',
      data: { ...ref, provider: 'calendly', outcome: { kind: 'none' }, checkedAt: '2026-05-03T00:00:00.000Z' },
    },
  ];
}

function rulesChanged(workspaceId: string, labels: string[], changedAt: string): WorkspaceEvent {
  return {
    type: 'WorkspaceRulesChanged',
    data: { workspaceId, bookedSentimentLabels: labels, autoCorrectSentiment: true, changedAt },
  };
}

function numbered(events: readonly (ReconEvent | WorkspaceEvent)[]) {
  return events.map((event, i) => ({ id: `e${i}`, position: String(i + 1) as Position, event }));
}

describe('core step: workspace rules changes', () => {
  it('re-evaluates the leads of the workspace as of the change, and no other workspace', () => {
    const base = [...leadHistory('w1', 'lead-1'), ...leadHistory('w2', 'lead-2')];
    const quiet = foldHistory(numbered(base), ctx);
    expect(quiet.leads.get(leadKey('w1', 'lead-1'))?.state.fold.bookingState).toBe('not_booked');
    expect(quiet.leads.get(leadKey('w1', 'lead-1'))?.state.openMismatches).toEqual({});

    const opened = foldHistory(
      numbered([...base, rulesChanged('w1', ['Interested'], '2026-05-10T00:00:00.000Z')]),
      ctx,
    );
    const lead1 = opened.leads.get(leadKey('w1', 'lead-1'));
    expect(lead1?.state.openMismatches.sentiment_booked_no_evidence).toBeDefined();
    expect(lead1?.position).toBe('9');
    expect(opened.rules.get('w1')?.state.bookedSentimentLabels).toEqual(['Interested']);
    expect(opened.leads.get(leadKey('w2', 'lead-2'))?.state.openMismatches).toEqual({});

    const closed = foldHistory(
      numbered([
        ...base,
        rulesChanged('w1', ['Interested'], '2026-05-10T00:00:00.000Z'),
        rulesChanged('w1', ['Meeting Booked'], '2026-05-11T00:00:00.000Z'),
      ]),
      ctx,
    );
    const after = closed.leads.get(leadKey('w1', 'lead-1'))?.state;
    expect(after?.openMismatches).toEqual({});
    expect(after?.closedMismatches.map((m) => [m.kind, m.resolvedAt, m.resolution])).toEqual([
      ['sentiment_booked_no_evidence', '2026-05-11T00:00:00.000Z', 'RULES_CHANGED'],
    ]);
  });

  it('a lead event after a change is evaluated with the changed rules', () => {
    const events = [rulesChanged('w1', ['Interested'], '2026-04-30T00:00:00.000Z'), ...leadHistory('w1', 'lead-1')];
    const ws = foldHistory(numbered(events), ctx);
    expect(ws.leads.get(leadKey('w1', 'lead-1'))?.state.openMismatches.sentiment_booked_no_evidence).toBeDefined();
  });
});
