import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RecordedEvent, Position } from '@recon/eventstore';
import { decideLeadUpdate, leadUpdateOutcome, type UpdateLeadCommand } from './decide-lead-update';
import { decideMessage } from './decide-message';
import { evolveLeadFeedState, initialLeadFeedState, type LeadFeedState } from './lead-feed-state';

const H = (c: string) => c.repeat(64);
const base = { workspaceId: 'ws_1', leadId: 'lead-1', now: '2026-03-01T00:00:00.000Z' };

/** Applies decided events the way a store would hand them back. */
function apply(state: LeadFeedState, revision: bigint | null, events: ReturnType<typeof decideLeadUpdate>): { state: LeadFeedState; revision: bigint | null } {
  let r = revision;
  let s = state;
  for (const e of events) {
    r = r === null ? 0n : r + 1n;
    const recorded: RecordedEvent = { id: e.id, type: e.type, streamName: 's', revision: r, position: '0' as Position, data: e.data, metadata: e.metadata ?? {}, recordedAt: new Date() };
    s = evolveLeadFeedState(s, recorded);
  }
  return { state: s, revision: r };
}

describe('decideLeadUpdate', () => {
  it('given a new lead, when the CRM puts it, then LeadRegistered (+ sentiment)', () => {
    const events = decideLeadUpdate({ ...base, emailHash: H('a'), sentiment: { label: 'Interested', classifiedAt: '2026-02-01T00:00:00.000Z' } }, initialLeadFeedState(), null);
    expect(events.map((e) => e.type)).toEqual(['LeadRegistered', 'LeadSentimentClassified']);
    expect(leadUpdateOutcome(events)).toBe('created');
    expect(events[0]?.data).toMatchObject({ emailHash: H('a'), alternateEmailHashes: [], ghlContactId: null, registeredAt: base.now });
  });

  it('given a registered lead, absent fields are unchanged, null clears, alternates compare as sets', () => {
    const first = apply(initialLeadFeedState(), null, decideLeadUpdate({ ...base, emailHash: H('a'), alternateEmailHashes: [H('b'), H('c')], ghlContactId: 'c1' }, initialLeadFeedState(), null));
    expect(decideLeadUpdate({ ...base }, first.state, first.revision)).toEqual([]);
    expect(decideLeadUpdate({ ...base, alternateEmailHashes: [H('c'), H('b'), H('c'), H('a')] }, first.state, first.revision)).toEqual([]);
    const cleared = decideLeadUpdate({ ...base, ghlContactId: null }, first.state, first.revision);
    expect(cleared.map((e) => e.type)).toEqual(['LeadContactChanged']);
    expect(cleared[0]?.data).toMatchObject({ emailHash: H('a'), ghlContactId: null, alternateEmailHashes: [H('b'), H('c')] });
  });

  it('an older sentiment is stale; the same one is a duplicate', () => {
    const s = { label: 'Meeting Booked', classifiedAt: '2026-02-02T00:00:00.000Z' };
    const first = apply(initialLeadFeedState(), null, decideLeadUpdate({ ...base, sentiment: s }, initialLeadFeedState(), null));
    expect(decideLeadUpdate({ ...base, sentiment: s }, first.state, first.revision)).toEqual([]);
    expect(decideLeadUpdate({ ...base, sentiment: { label: 'Interested', classifiedAt: '2026-02-01T00:00:00.000Z' } }, first.state, first.revision)).toEqual([]);
    expect(decideLeadUpdate({ ...base, sentiment: { label: 'Interested', classifiedAt: '2026-02-03T00:00:00.000Z' } }, first.state, first.revision)).toHaveLength(1);
  });

  it('property: any command applied twice decides nothing the second time; ids are deterministic', () => {
    const hash = fc.constantFrom(H('a'), H('b'), H('c'), H('d'));
    const command = fc.record(
      {
        emailHash: fc.option(hash, { nil: null }),
        alternateEmailHashes: fc.array(hash, { maxLength: 3 }),
        ghlContactId: fc.option(fc.constantFrom('c1', 'c2'), { nil: null }),
        sentiment: fc.record({ label: fc.constantFrom('Interested', 'Meeting Booked'), classifiedAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z') }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 5 }), command, (history, last) => {
        let acc: { state: LeadFeedState; revision: bigint | null } = { state: initialLeadFeedState(), revision: null };
        for (const c of history) acc = apply(acc.state, acc.revision, decideLeadUpdate({ ...base, ...c } as UpdateLeadCommand, acc.state, acc.revision));
        const once = decideLeadUpdate({ ...base, ...last } as UpdateLeadCommand, acc.state, acc.revision);
        expect(decideLeadUpdate({ ...base, ...last } as UpdateLeadCommand, acc.state, acc.revision)).toEqual(once);
        const after = apply(acc.state, acc.revision, once);
        expect(decideLeadUpdate({ ...base, ...last } as UpdateLeadCommand, after.state, after.revision)).toEqual([]);
      }),
      { seed: 4711, numRuns: 300 },
    );
  });
});

describe('decideMessage', () => {
  const registered = apply(initialLeadFeedState(), null, decideLeadUpdate({ ...base }, initialLeadFeedState(), null));

  it('inbound moves lastInboundAt forward only; direction follows the newest message', () => {
    const inbound = decideMessage({ ...base, direction: 'inbound', at: '2026-03-02T10:00:00.000Z' }, registered.state, registered.revision);
    expect(inbound[0]?.data).toMatchObject({ lastInboundAt: '2026-03-02T10:00:00.000Z', lastMessageDirection: 'inbound' });
    const s1 = apply(registered.state, registered.revision, inbound);
    expect(decideMessage({ ...base, direction: 'inbound', at: '2026-03-02T10:00:00.000Z' }, s1.state, s1.revision)).toEqual([]);
    expect(decideMessage({ ...base, direction: 'outbound', at: '2026-03-01T10:00:00.000Z' }, s1.state, s1.revision)).toEqual([]);
    const out = decideMessage({ ...base, direction: 'outbound', at: '2026-03-03T10:00:00.000Z' }, s1.state, s1.revision);
    expect(out[0]?.data).toMatchObject({ lastInboundAt: '2026-03-02T10:00:00.000Z', lastMessageDirection: 'outbound' });
  });
});
