import { randomBytes, randomUUID } from 'node:crypto';
import type { StreamKey } from '@recon/workspaces';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEALED_FIELD, needsSealing, openEventData, sealEventData, sealedUnder } from './sealed-fields';

const key = (): StreamKey => ({ keyId: randomUUID(), key: randomBytes(32) });
const hash = fc.stringMatching(/^[0-9a-f]{64}$/);
const STREAM = 'lead-ws_1-lead%2D1';

const leadData = fc.record({
  workspaceId: fc.constant('ws_1'),
  leadId: fc.constant('lead-1'),
  emailHash: fc.option(hash, { nil: null }),
  alternateEmailHashes: fc.array(hash, { maxLength: 3 }),
  ghlContactId: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: null }),
  registeredAt: fc.constant('2026-03-02T14:05:20.000Z'),
});

const bookedData = fc.record({
  workspaceId: fc.constant('ws_1'),
  leadId: fc.constant(null),
  providerAppointmentId: fc.constant('inv-1'),
  matchKeys: fc.record({
    inviteeEmailHash: fc.option(hash, { nil: null }),
    guestEmailHashes: fc.array(hash, { maxLength: 3 }),
    ghlContactId: fc.constant(null),
    utmLeadIds: fc.array(fc.constant('lead-1'), { maxLength: 1 }),
  }),
});

describe('sealed fields', () => {
  it('seal then open with the key gives back exactly what was written (lead and booking events)', () => {
    fc.assert(
      fc.property(leadData, fc.constantFrom('LeadRegistered', 'LeadContactChanged'), (data, type) => {
        const k = key();
        const sealed = sealEventData(STREAM, type, data, k);
        expect(openEventData(STREAM, type, sealed, k).data).toEqual(data);
      }),
    );
    fc.assert(
      fc.property(bookedData, (data) => {
        const k = key();
        const sealed = sealEventData('appointment-calendly-ws_1-inv', 'AppointmentBooked', data, k);
        expect(openEventData('appointment-calendly-ws_1-inv', 'AppointmentBooked', sealed, k).data).toEqual(data);
      }),
    );
  });

  it('what is sealed holds no hash in clear; without the key (or with a later key) the fields read empty, the rest stays', () => {
    fc.assert(
      fc.property(leadData, (data) => {
        const k = key();
        const sealed = sealEventData(STREAM, 'LeadRegistered', data, k);
        const text = JSON.stringify(sealed);
        for (const h of [data.emailHash, ...data.alternateEmailHashes]) if (h !== null) expect(text).not.toContain(h);
        const expectedEmpty = { ...data, emailHash: null, alternateEmailHashes: [] };
        for (const other of [undefined, key()]) {
          const opened = openEventData(STREAM, 'LeadRegistered', sealed, other);
          expect(opened.data).toEqual(needsSealing('LeadRegistered', data) ? expectedEmpty : data);
          expect(opened.data).not.toHaveProperty(SEALED_FIELD);
        }
      }),
    );
  });

  it('a sealed value opens only in its own stream and event type; nothing to seal leaves the event as it is', () => {
    const k = key();
    const data = {
      workspaceId: 'ws_1',
      leadId: 'l',
      taskId: 't',
      resolvedBy: 'key_1',
      note: 'call back',
      resolvedAt: 'x',
    };
    const sealed = sealEventData(STREAM, 'FollowUpTaskResolved', data, k);
    expect(sealed['note']).toBeNull();
    expect(sealedUnder(sealed)).toBe(k.keyId);
    expect(openEventData('lead-ws_1-other', 'FollowUpTaskResolved', sealed, k)).toMatchObject({ outcome: 'shredded' });
    expect(openEventData(STREAM, 'FollowUpTaskResolved', sealed, k)).toEqual({ data, outcome: 'opened' });
    const noNote = { ...data, note: null };
    expect(sealEventData(STREAM, 'FollowUpTaskResolved', noNote, k)).toBe(noNote);
    const other = { workspaceId: 'ws_1', leadId: 'l', label: 'Meeting Booked' };
    expect(sealEventData(STREAM, 'LeadSentimentClassified', other, k)).toBe(other);
    expect(openEventData(STREAM, 'LeadSentimentClassified', other, k)).toEqual({ data: other, outcome: 'plain' });
    const booking = { workspaceId: 'ws_1', leadId: null, providerAppointmentId: 'x' };
    expect(sealEventData('appointment-x', 'AppointmentBooked', booking, k)).toBe(booking);
  });
});
