/**
 * The match keys ingest writes on AppointmentBooked survive parsing (declared in the domain
 * schema), older partial keys get defaults, and malformed keys read as absent without making the
 * booking itself unreadable.
 */
import { parseReconEvent } from '@recon/domain';
import { describe, expect, it } from 'vitest';
import { readMatchKeys } from './match-keys';

const HASH = 'a'.repeat(64);
const booked = (extra: Record<string, unknown>) => ({
  workspaceId: 'ws',
  leadId: null,
  provider: 'calendly',
  providerAppointmentId: 'https://api.calendly.com/scheduled_events/E1/invitees/I1',
  calendlyEventUri: 'https://api.calendly.com/scheduled_events/E1',
  startAt: '2030-06-18T15:00:00.000Z',
  endAt: '2030-06-18T15:30:00.000Z',
  source: 'webhook',
  observedAt: '2030-06-01T10:00:00.000Z',
  providerUpdatedAt: null,
  rescheduledFrom: null,
  ...extra,
});

function keysOf(data: Record<string, unknown>) {
  const r = parseReconEvent('AppointmentBooked', data);
  if (!r.ok || r.value.type !== 'AppointmentBooked') throw new Error(`not parsed: ${JSON.stringify(r)}`);
  return readMatchKeys(r.value.data);
}

describe('AppointmentBooked match keys', () => {
  it('are kept by parsing', () => {
    const matchKeys = {
      inviteeEmailHash: HASH,
      guestEmailHashes: ['b'.repeat(64)],
      ghlContactId: 'c1',
      utmLeadIds: ['L1'],
      utmLeadIdsVerified: true,
    };
    expect(keysOf(booked({ matchKeys }))).toEqual(matchKeys);
  });

  it('drop UTM lead ids that were never verified as booking tokens (bookings written before signed tokens)', () => {
    const legacy = { inviteeEmailHash: HASH, guestEmailHashes: [], ghlContactId: null, utmLeadIds: ['L1'] };
    expect(keysOf(booked({ matchKeys: legacy }))).toEqual({ ...legacy, utmLeadIds: [], utmLeadIdsVerified: false });
  });

  it('fill missing fields with "nothing to match by"', () => {
    expect(keysOf(booked({ matchKeys: { inviteeEmailHash: HASH } }))).toEqual({
      inviteeEmailHash: HASH,
      guestEmailHashes: [],
      ghlContactId: null,
      utmLeadIds: [],
      utmLeadIdsVerified: false,
    });
  });

  it('are absent when missing or malformed, and the booking still parses', () => {
    expect(keysOf(booked({}))).toBeNull();
    expect(keysOf(booked({ matchKeys: { inviteeEmailHash: 'someone@example.com' } }))).toBeNull();
    expect(keysOf(booked({ matchKeys: { guestEmailHashes: Array.from({ length: 51 }, () => HASH) } }))).toBeNull();
  });
});
