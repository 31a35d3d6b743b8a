import { describe, expect, it } from 'vitest';
import type { LeadEvent } from '../events/lead-events';
import type { ReconEvent } from '../events/recon-event';
import { evolveLeadTasks, initialLeadTasks } from '../follow-up/lead-tasks';
import { evolveLeadFeedState, initialLeadFeedState } from '../leads/lead-feed-state';
import { LEAD, WS, observation, observeAcrossStreams, registered, taskResolved } from '../testing/builders';
import { evolveLeadLifecycle, leadLifecycleFromEvents } from './evolve-lead-lifecycle';
import { initialLeadLifecycle } from './lead-lifecycle-state';

const erased: LeadEvent = {
  type: 'LeadContactErased',
  data: { workspaceId: WS, leadId: LEAD, erasedAt: '2030-06-21T00:00:00.000Z' },
};
const noted: LeadEvent = (() => {
  const e = taskResolved('t-1');
  return e.type === 'FollowUpTaskResolved' ? { ...e, data: { ...e.data, note: 'called them' } } : e;
})();

describe('LeadContactErased in the lead folds', () => {
  const history: ReconEvent[] = [registered(), ...observeAcrossStreams([observation()]), noted];

  it('clears the contact identifiers and keeps the verified state and the appointments', () => {
    const before = leadLifecycleFromEvents(history);
    const after = evolveLeadLifecycle(before, erased);
    expect(before.contact.emailHash).not.toBeNull();
    expect(after.contact).toEqual({ emailHash: null, alternateEmailHashes: [], ghlContactId: null });
    expect(after.bookingState).toBe(before.bookingState);
    expect(after.bookingState).toBe('booked');
    expect(after.appointments).toEqual(before.appointments);
    expect(after.counts).toEqual(before.counts);
    expect(after.resolvedTaskIds).toEqual(['t-1']);
  });

  it('a later contact change sets identifiers again', () => {
    const changed: LeadEvent = {
      type: 'LeadContactChanged',
      data: {
        workspaceId: WS,
        leadId: LEAD,
        emailHash: 'b'.repeat(64),
        alternateEmailHashes: [],
        ghlContactId: null,
        changedAt: '2030-06-22T00:00:00.000Z',
      },
    };
    expect(leadLifecycleFromEvents([...history, erased, changed]).contact.emailHash).toBe('b'.repeat(64));
  });

  it('blanks operator notes but keeps the resolutions', () => {
    let tasks = initialLeadTasks();
    let lead = initialLeadLifecycle();
    for (const e of [...history, erased]) {
      lead = evolveLeadLifecycle(lead, e);
      tasks = evolveLeadTasks(tasks, lead, e, '2030-06-21T00:00:00.000Z');
      if (e === noted) expect(tasks.resolutions['t-1']?.note).toBe('called them');
    }
    expect(tasks.resolutions['t-1']).toMatchObject({ note: null, resolvedBy: 'key-1' });
  });

  it('the feed state forgets the hashes, so a write with the same email is a change again', () => {
    const s = [registered(), erased].reduce(evolveLeadFeedState, initialLeadFeedState());
    expect(s).toMatchObject({ registered: true, emailHash: null, alternateEmailHashes: [], ghlContactId: null });
  });
});
