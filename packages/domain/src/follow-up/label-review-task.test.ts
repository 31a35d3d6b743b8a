/**
 * The `label-unverified` review task as a pure fold: opened once per label by
 * `LeadBookedLabelUnverified` (a repeat names the same task), amber, about the label; ended by
 * recon when a live appointment appears or a newer label replaces it; an operator may resolve it.
 */
import { describe, expect, it } from 'vitest';
import { foldLeadWithTasks } from '../testing/fold-lead-tasks';
import type { ReconEvent } from '../events/recon-event';
import { checked, LEAD, observation, observeAcrossStreams, registered, sentiment, WS } from '../testing/builders';
import { LABEL_REVIEW_ENDED, openLeadTasks, taskResolution } from './lead-tasks';

const LABEL_AT = '2030-05-02T00:00:00.000Z';
const CHECKED_AT = '2030-05-04T00:00:00.000Z';
const unverified: ReconEvent = {
  type: 'LeadBookedLabelUnverified',
  data: {
    workspaceId: WS,
    leadId: LEAD,
    label: 'Meeting Booked',
    labelClassifiedAt: LABEL_AT,
    providers: ['ghl'],
    checkedAt: CHECKED_AT,
    slaHours: 24,
  },
};

const fold = (events: readonly ReconEvent[]) => foldLeadWithTasks(events, () => CHECKED_AT).tasks;

const base = [registered(), sentiment('Meeting Booked', LABEL_AT), checked('ghl', { kind: 'none' }, CHECKED_AT)];

describe('label-unverified task', () => {
  it('given the review event (twice), then one open amber task about the label', () => {
    const open = openLeadTasks(fold([...base, unverified, unverified]));
    expect(open).toEqual([
      expect.objectContaining({
        kind: 'label-unverified',
        severity: 'amber',
        provider: 'ghl',
        providerAppointmentId: `label:${LABEL_AT}`,
        createdAt: CHECKED_AT,
      }),
    ]);
  });

  it('given a booking found afterwards, then recon ends it', () => {
    const tasks = fold([...base, unverified, ...observeAcrossStreams([observation()])]);
    expect(openLeadTasks(tasks)).toEqual([]);
    const id = Object.keys(tasks.tasks)[0] as string;
    expect(taskResolution(tasks, id)).toMatchObject({ resolvedBy: 'recon', note: LABEL_REVIEW_ENDED });
  });

  it('given a newer label, then recon ends it; an unrelated event leaves it open', () => {
    expect(openLeadTasks(fold([...base, unverified, sentiment('Interested', '2030-05-05T00:00:00.000Z')]))).toEqual([]);
    expect(
      openLeadTasks(fold([...base, unverified, checked('ghl', { kind: 'none' }, '2030-05-06T00:00:00.000Z')])),
    ).toHaveLength(1);
  });
});
