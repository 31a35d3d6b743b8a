import type { ReconEvent } from '@recon/domain';
import type { Position } from '@recon/eventstore';
import type { ProjectedEvent, ProjectionChange } from '@recon/projections';
import { describe, expect, it } from 'vitest';
import { NotificationBody } from './notification-body';
import { notificationsFromChanges, triggeringEvent } from './notifications-from-changes';

function projected(id: string, workspaceId: string, leadId: string | null): ProjectedEvent {
  const event = {
    type: 'LeadInboundActivityRecorded',
    data: { workspaceId, leadId, direction: 'inbound', at: '2030-01-01T00:00:00.000Z' },
  } as unknown as ReconEvent;
  return {
    recorded: {
      id,
      type: event.type,
      streamName: 's',
      revision: 0n,
      position: id as Position,
      data: {},
      metadata: {},
      recordedAt: new Date('2030-01-01T00:00:00.000Z'),
    },
    event,
  };
}

const booked = { bookingState: 'booked', mayEnroll: false, mustPause: true };
const canceled = { bookingState: 'canceled', mayEnroll: false, mustPause: true };

describe('notificationsFromChanges', () => {
  const events = [projected('e1', 'ws', 'L1'), projected('e2', 'ws', 'L2'), projected('e3', 'ws', 'L1')];

  it('given a booking then a cancellation, when turned into notifications, then booking state and task notify, the unchanged gate does not', () => {
    const changes: ProjectionChange[] = [
      { kind: 'lead-changed', workspaceId: 'ws', leadId: 'L1', before: booked, after: canceled },
      {
        kind: 'task-opened',
        workspaceId: 'ws',
        leadId: 'L1',
        taskId: 't1',
        taskKind: 'meeting-canceled',
        severity: 'red',
      },
      {
        kind: 'task-opened',
        workspaceId: 'ws',
        leadId: 'L1',
        taskId: 't2',
        taskKind: 'meeting-no-show',
        severity: 'yellow',
      },
    ];
    const out = notificationsFromChanges(changes, events);
    expect(out.map((n) => n.type)).toEqual(['lead.booking_state_changed', 'task.opened']);
    for (const n of out)
      expect(NotificationBody.parse(JSON.parse(n.body))).toMatchObject({ id: n.id, leadId: 'L1', workspaceId: 'ws' });
  });

  it('a lead seen for the first time notifies only where it differs from a never-seen lead', () => {
    const plain = notificationsFromChanges(
      [
        {
          kind: 'lead-changed',
          workspaceId: 'ws',
          leadId: 'L2',
          before: null,
          after: { bookingState: 'unknown', mayEnroll: false, mustPause: false },
        },
      ],
      events,
    );
    expect(plain).toEqual([]);
    const first = notificationsFromChanges(
      [{ kind: 'lead-changed', workspaceId: 'ws', leadId: 'L2', before: null, after: booked }],
      events,
      { gateReasons: new Map([['ws\u0000L2', 'booked']]) },
    );
    expect(first.map((n) => JSON.parse(n.body).data)).toEqual([
      { before: null, after: 'booked' },
      { before: null, after: { mayEnroll: false, mustPause: true, reason: 'booked' }, bookingState: 'booked' },
    ]);
  });

  it('ids are deterministic, differ per type and per triggering event', () => {
    const change: ProjectionChange = {
      kind: 'lead-changed',
      workspaceId: 'ws',
      leadId: 'L1',
      before: null,
      after: booked,
    };
    const a = notificationsFromChanges([change], events);
    expect(notificationsFromChanges([change], events).map((n) => n.id)).toEqual(a.map((n) => n.id));
    expect(new Set(a.map((n) => n.id)).size).toBe(2);
    const later = notificationsFromChanges([change], [...events, projected('e4', 'ws', 'L1')]);
    expect(later.map((n) => n.id).some((id) => a.some((x) => x.id === id))).toBe(false);
  });

  it('the trigger is the last event of the lead, else of the workspace, else of the batch', () => {
    expect(triggeringEvent(events, 'ws', 'L1')?.recorded.id).toBe('e3');
    expect(triggeringEvent([...events, projected('e5', 'ws', null)], 'ws', 'L9')?.recorded.id).toBe('e5');
    expect(triggeringEvent(events, 'other', 'L1')?.recorded.id).toBe('e3');
  });
});
