import { describe, it } from 'vitest';
import type { LeadEvent } from '../events/lead-events';
import { deciderSpec } from '../testing/decider-spec';
import {
  decideEraseLeadContact,
  type EraseLeadContactCommand,
  evolveLeadErasure,
  initialLeadErasure,
  type LeadErasureState,
} from './erase-lead-contact';

const spec = deciderSpec<EraseLeadContactCommand, LeadEvent, LeadErasureState>({
  initialState: initialLeadErasure,
  evolve: evolveLeadErasure,
  decide: decideEraseLeadContact,
});
const erase: EraseLeadContactCommand = { workspaceId: 'ws', leadId: 'L1', erasedAt: '2030-06-02T00:00:00.000Z' };
const contact = {
  workspaceId: 'ws',
  leadId: 'L1',
  emailHash: 'a'.repeat(64),
  alternateEmailHashes: [],
  ghlContactId: null,
};
const registered: LeadEvent = {
  type: 'LeadRegistered',
  data: { ...contact, registeredAt: '2030-06-01T00:00:00.000Z' },
};

describe('decideEraseLeadContact', () => {
  it('given a registered lead, when erased, then LeadContactErased', () => {
    spec
      .given([registered])
      .when(erase)
      .then([{ type: 'LeadContactErased', data: erase }]);
  });

  it('given an erased lead, when erased again (later), then nothing', () => {
    spec
      .given([registered, { type: 'LeadContactErased', data: erase }])
      .when({ ...erase, erasedAt: '2030-06-03T00:00:00.000Z' })
      .thenNothingHappens();
  });

  it('given a lead never registered, when erased, then nothing (no stream to write)', () => {
    spec.given([]).when(erase).thenNothingHappens();
  });

  it('given an erased lead whose CRM set a new contact, when erased, then LeadContactErased again', () => {
    const changed: LeadEvent = {
      type: 'LeadContactChanged',
      data: { ...contact, emailHash: 'b'.repeat(64), changedAt: '2030-06-04T00:00:00.000Z' },
    };
    spec
      .given([registered, { type: 'LeadContactErased', data: erase }, changed])
      .when({ ...erase, erasedAt: '2030-06-05T00:00:00.000Z' })
      .thenMatches([{ type: 'LeadContactErased', data: { erasedAt: '2030-06-05T00:00:00.000Z' } }]);
  });
});
