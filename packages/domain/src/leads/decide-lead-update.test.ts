import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeadEvent } from '../events/lead-events';
import { deciderSpec } from '../testing/decider-spec';
import { decideLeadUpdate, leadUpdateOutcome, type UpdateLeadCommand } from './decide-lead-update';
import { decideMessage, type RecordMessageCommand } from './decide-message';
import { evolveLeadFeedState, initialLeadFeedState, type LeadFeedState } from './lead-feed-state';

const H = (c: string) => c.repeat(64);
const base = { workspaceId: 'ws_1', leadId: 'lead-1', now: '2026-03-01T00:00:00.000Z' };
const feed = { initialState: initialLeadFeedState, evolve: evolveLeadFeedState };
const leadUpdate = deciderSpec<UpdateLeadCommand, LeadEvent, LeadFeedState>({ ...feed, decide: decideLeadUpdate });
const message = deciderSpec<RecordMessageCommand, LeadEvent, LeadFeedState>({ ...feed, decide: decideMessage });
const fold = (events: readonly LeadEvent[], from = initialLeadFeedState()) => events.reduce(evolveLeadFeedState, from);

const registeredWith = (c: Partial<UpdateLeadCommand> = {}) =>
  decideLeadUpdate({ ...base, ...c }, initialLeadFeedState());

describe('decideLeadUpdate', () => {
  it('given a new lead, when the CRM puts it, then LeadRegistered (+ sentiment)', () => {
    leadUpdate
      .given([])
      .when({
        ...base,
        emailHash: H('a'),
        sentiment: { label: 'Interested', classifiedAt: '2026-02-01T00:00:00.000Z' },
      })
      .then((events) => {
        expect(events.map((e) => e.type)).toEqual(['LeadRegistered', 'LeadSentimentClassified']);
        expect(leadUpdateOutcome(events)).toBe('created');
        expect(events[0]?.data).toMatchObject({
          emailHash: H('a'),
          alternateEmailHashes: [],
          ghlContactId: null,
          registeredAt: base.now,
        });
      });
  });

  it('given a registered lead, absent fields are unchanged, null clears, alternates compare as sets', () => {
    const given = leadUpdate.given(
      registeredWith({ emailHash: H('a'), alternateEmailHashes: [H('b'), H('c')], ghlContactId: 'c1' }),
    );
    given.when({ ...base }).thenNothingHappens();
    given.when({ ...base, alternateEmailHashes: [H('c'), H('b'), H('c'), H('a')] }).thenNothingHappens();
    given.when({ ...base, ghlContactId: null }).thenMatches([
      {
        type: 'LeadContactChanged',
        data: { emailHash: H('a'), ghlContactId: null, alternateEmailHashes: [H('b'), H('c')] },
      },
    ]);
  });

  it('an older sentiment is stale; the same one is a duplicate; a newer one is classified', () => {
    const s = { label: 'Meeting Booked', classifiedAt: '2026-02-02T00:00:00.000Z' };
    const given = leadUpdate.given(registeredWith({ sentiment: s }));
    given.when({ ...base, sentiment: s }).thenNothingHappens();
    given
      .when({ ...base, sentiment: { label: 'Interested', classifiedAt: '2026-02-01T00:00:00.000Z' } })
      .thenNothingHappens();
    given
      .when({ ...base, sentiment: { label: 'Interested', classifiedAt: '2026-02-03T00:00:00.000Z' } })
      .thenMatches([{ type: 'LeadSentimentClassified', data: { label: 'Interested' } }]);
  });

  it('property: any command applied twice decides nothing the second time', () => {
    const hash = fc.constantFrom(H('a'), H('b'), H('c'), H('d'));
    const command = fc.record(
      {
        emailHash: fc.option(hash, { nil: null }),
        alternateEmailHashes: fc.array(hash, { maxLength: 3 }),
        ghlContactId: fc.option(fc.constantFrom('c1', 'c2'), { nil: null }),
        sentiment: fc.record({
          label: fc.constantFrom('Interested', 'Meeting Booked'),
          classifiedAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'),
        }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 5 }), command, (history, last) => {
        let state = initialLeadFeedState();
        for (const c of history) state = fold(decideLeadUpdate({ ...base, ...c } as UpdateLeadCommand, state), state);
        const once = decideLeadUpdate({ ...base, ...last } as UpdateLeadCommand, state);
        expect(decideLeadUpdate({ ...base, ...last } as UpdateLeadCommand, state)).toEqual(once);
        expect(decideLeadUpdate({ ...base, ...last } as UpdateLeadCommand, fold(once, state))).toEqual([]);
      }),
      { seed: 4711, numRuns: Number(process.env['FC_RUNS'] ?? 300) },
    );
  });
});

describe('decideMessage', () => {
  const registered = registeredWith();
  const at = (d: string) => `2026-03-0${d}T10:00:00.000Z`;

  it('given an unregistered lead, then nothing is recorded', () => {
    message
      .given([])
      .when({ ...base, direction: 'inbound', at: at('2') })
      .thenNothingHappens();
  });

  it('inbound moves lastInboundAt forward only; direction follows the newest message', () => {
    message
      .given(registered)
      .when({ ...base, direction: 'inbound', at: at('2') })
      .thenMatches([{ data: { lastInboundAt: at('2'), lastMessageDirection: 'inbound', messageAt: at('2') } }]);
    const inbound = decideMessage({ ...base, direction: 'inbound', at: at('2') }, fold(registered));
    const given = message.given([...registered, ...inbound]);
    given.when({ ...base, direction: 'inbound', at: at('2') }).thenNothingHappens();
    given.when({ ...base, direction: 'outbound', at: at('1') }).thenNothingHappens();
    given
      .when({ ...base, direction: 'outbound', at: at('3') })
      .thenMatches([{ data: { lastInboundAt: at('2'), lastMessageDirection: 'outbound' } }]);
  });
});
