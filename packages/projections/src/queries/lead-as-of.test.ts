// Time travel's pure fold (lead-as-of.ts): the events recorded by `asOf` are the whole input,
// whatever order and duplicates the stream reads return; clock rules use the earlier of asOf and
// now; an erased lead's shredded fields (read empty) do not stop the fold.
import { leadStreamName, type ReconEvent } from '@recon/domain';
import { Scenario, seededRandom, shuffle } from '@recon/domain/testing';
import { reconEventId, streamOfEvent } from '@recon/domain';
import type { Position, RecordedEvent } from '@recon/eventstore';
import { describe, expect, it } from 'vitest';
import { asOfEvaluatedAt, foldLeadAsOf } from './lead-as-of';

const WS = 'ws-asof';
const comparePositions = (a: Position, b: Position) => Number(a) - Number(b);

/** The events as a store would return them: position i + 1, recorded an hour apart from `start`. */
function recorded(events: readonly ReconEvent[], start = Date.parse('2030-06-01T00:00:00.000Z')): RecordedEvent[] {
  return events.map((event, i) => ({
    id: reconEventId(event),
    type: event.type,
    streamName: streamOfEvent(event),
    revision: BigInt(i),
    position: String(i + 1) as Position,
    data: event.data as Record<string, unknown>,
    metadata: {},
    recordedAt: new Date(start + i * 3_600_000),
  }));
}

const s = new Scenario(WS, { now: () => '2030-06-01T00:00:00.000Z' });
const history: ReconEvent[] = [
  s.registered('L1'),
  s.sentiment('L1', 'Meeting Booked'),
  ...s.observe({ leadId: 'L1', providerAppointmentId: 'g1', providerUpdatedAt: '2030-06-01T01:00:00.000Z' }),
  ...s.observe({
    leadId: 'L1',
    providerAppointmentId: 'g1',
    status: 'canceled',
    providerUpdatedAt: '2030-06-01T02:00:00.000Z',
    observedAt: '2030-06-01T03:00:00.000Z',
  }),
];
const events = recorded(history);
const at = (hour: number) => new Date(Date.parse('2030-06-01T00:00:00.000Z') + hour * 3_600_000);
const fold = (input: readonly RecordedEvent[], asOf: Date, now?: Date) =>
  foldLeadAsOf({
    workspaceId: WS,
    leadId: 'L1',
    recorded: input,
    asOf,
    ...(now === undefined ? {} : { now }),
    comparePositions,
  });

describe('foldLeadAsOf', () => {
  it('takes exactly the events recorded at or before asOf', () => {
    expect(fold(events, new Date(at(0).getTime() - 1))).toBeNull();
    expect(fold(events, at(0))?.state).toBe('unknown');
    expect(fold(events, at(2))).toMatchObject({ state: 'booked', openTasks: [] });
    expect(fold(events, at(3))).toMatchObject({ state: 'canceled', openTasks: [{ kind: 'meeting-canceled' }] });
    // The same as folding the prefix alone.
    for (let hour = 0; hour < events.length; hour += 1)
      expect(fold(events, at(hour))).toEqual(fold(events.slice(0, hour + 1), at(hour)));
  });

  it('any order and duplicates of the stream reads give the same answer', () => {
    const random = seededRandom(18);
    for (let round = 0; round < 20; round += 1) {
      const noisy = shuffle([...events, ...events.slice(1, 3)], random);
      for (const hour of [0, 1, 2, 3]) expect(fold(noisy, at(hour))).toEqual(fold(events, at(hour)));
    }
  });

  it('evaluates the clock rules at the earlier of asOf and now (a meeting that ended reads completed, assumed)', () => {
    const booked = recorded(history.slice(0, 3));
    const afterMeeting = new Date('2030-06-19T00:00:00.000Z');
    expect(fold(booked, afterMeeting)).toMatchObject({ state: 'completed', assumed: true });
    expect(fold(booked, afterMeeting, at(5))).toMatchObject({ state: 'booked', assumed: false });
    expect(asOfEvaluatedAt(afterMeeting, at(5))).toEqual(at(5));
    expect(asOfEvaluatedAt(at(1), at(5))).toEqual(at(1));
  });

  it('only the lead asked for, and an unparseable event is skipped as the live runner skips it', () => {
    const other = recorded([new Scenario(WS).registered('L2')]);
    expect(fold([...events, ...other.map((e) => ({ ...e, position: '99' as Position }))], at(9))?.leadId).toBe('L1');
    const poison: RecordedEvent = {
      ...events[1]!,
      id: 'poison',
      streamName: leadStreamName(WS, 'L1'),
      position: '2.5' as Position,
      data: { workspaceId: WS },
    };
    expect(fold([...events, poison], at(9))).toEqual(fold(events, at(9)));
  });
});
