import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapGhlCalendarEvent, mapGhlContactAppointment, mapGhlWebhook } from './map-ghl';
import { mapGhlAppointmentStatus } from './map-ghl-status';
import {
  parseGhlCalendarEvent,
  parseGhlCalendarEvents,
  parseGhlContactAppointments,
  parseGhlLocation,
  parseGhlWebhook,
} from './parse-ghl';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/fixtures/ghl', name), 'utf8'));
const ctx = {
  workspaceId: 'ws-1',
  source: 'poller',
  observedAt: '2026-06-01T00:00:00.000Z',
  timeZone: 'America/Chicago',
} as const;

function webhook(name: string, body: unknown = fixture(name)) {
  const parsed = parseGhlWebhook(body);
  if (!parsed.ok || parsed.value.kind !== 'appointment') throw new Error(`${name} did not parse`);
  const mapped = mapGhlWebhook(parsed.value.webhook, { ...ctx, source: 'webhook' });
  if (!mapped.ok) throw new Error(`${name} did not map: ${mapped.issues.join()}`);
  return mapped.value;
}

describe('GHL contact appointments', () => {
  it('parses both fixtures and reads naive times in the location timezone', () => {
    expect(parseGhlContactAppointments(fixture('contact-appointments-empty.json'))).toMatchObject({
      ok: true,
      value: { events: [] },
    });
    const parsed = parseGhlContactAppointments(fixture('contact-appointments.json'));
    if (!parsed.ok) throw new Error('no parse');
    const mapped = parsed.value.events.map((e) => mapGhlContactAppointment(e, ctx));
    const obs = mapped.map((m) => (m.ok ? m.value.observation : null));
    expect(obs.map((o) => o?.status)).toEqual(['scheduled', 'canceled', 'showed']);
    expect(obs[0]).toMatchObject({
      providerAppointmentId: 'FakeApt0000000000001',
      startAt: '2030-06-18T15:00:00.000Z',
      endAt: '2030-06-18T15:30:00.000Z',
      providerUpdatedAt: '2026-05-27T21:41:19.000Z',
      calendlyEventUri: null,
      deleted: false,
    });
    expect(mapped[0]?.ok && mapped[0].value.hints).toEqual({
      provider: 'ghl',
      contactId: 'FakeCon0000000000001',
      locationId: 'FakeLoc0000000000001',
    });
  });

  it('keys off appointmentStatus, not status (status says booked on a cancelled row)', () => {
    const parsed = parseGhlContactAppointments(fixture('contact-appointments.json'));
    if (!parsed.ok) throw new Error('no parse');
    const cancelled = parsed.value.events[1];
    if (!cancelled) throw new Error('missing');
    expect(cancelled.status).toBe('booked');
    const m = mapGhlContactAppointment(cancelled, ctx);
    expect(m.ok && m.value.observation.status).toBe('canceled');
  });

  it('fails naive times without a known timezone with a code', () => {
    const parsed = parseGhlContactAppointments(fixture('contact-appointments.json'));
    if (!parsed.ok || !parsed.value.events[0]) throw new Error('no parse');
    expect(mapGhlContactAppointment(parsed.value.events[0], { ...ctx, timeZone: null })).toMatchObject({
      ok: false,
      code: 'GHL_TIMEZONE_INVALID',
    });
    expect(mapGhlContactAppointment(parsed.value.events[0], { ...ctx, timeZone: 'Mars/Olympus' })).toMatchObject({
      ok: false,
      code: 'GHL_TIMEZONE_INVALID',
    });
  });

  it('fails an unknown appointmentStatus with GHL_STATUS_UNKNOWN', () => {
    const body = fixture('contact-appointments.json') as { events: Array<Record<string, unknown>> };
    body.events[0] = { ...body.events[0], appointmentStatus: 'teleported' };
    const parsed = parseGhlContactAppointments(body);
    if (!parsed.ok || !parsed.value.events[0]) throw new Error('no parse');
    const m = mapGhlContactAppointment(parsed.value.events[0], ctx);
    expect(m).toMatchObject({ ok: false, code: 'GHL_STATUS_UNKNOWN' });
    expect(!m.ok && m.issues.join()).not.toContain('teleported');
  });

  it.each([
    ['events missing', {}],
    ['events not an array', { events: 'x' }],
    ['row without id', { events: [{ startTime: '2030-06-18 10:00:00', endTime: '2030-06-18 10:30:00' }] }],
    ['row without startTime', { events: [{ id: 'a', endTime: '2030-06-18 10:30:00' }] }],
    ['a string', 'oops'],
  ])('rejects a malformed response (%s) with GHL_PAYLOAD_INVALID', (_n, body) => {
    expect(parseGhlContactAppointments(body)).toMatchObject({ ok: false, code: 'GHL_PAYLOAD_INVALID' });
  });
});

describe('GHL calendar events and location', () => {
  it('parses the list and the single event, with offsets and recurring instance ids', () => {
    const list = parseGhlCalendarEvents(fixture('calendar-events.json'));
    const one = parseGhlCalendarEvent(fixture('calendar-event-get.json'));
    if (!list.ok || !one.ok) throw new Error('no parse');
    const [a, b] = list.value.events.map((e) => mapGhlCalendarEvent(e, { ...ctx, timeZone: null }));
    expect(a?.ok && a.value.observation.startAt).toBe('2030-06-18T15:00:00.000Z');
    expect(b?.ok && b.value.observation).toMatchObject({
      providerAppointmentId: 'FakeApt0000000000005_1908198000000_1800',
      status: 'scheduled',
      startAt: '2030-06-20T15:00:00.000Z',
    });
    const single = mapGhlCalendarEvent(one.value.event, ctx);
    expect(single.ok && single.value.observation.providerUpdatedAt).toBe('2026-05-27T21:41:19.000Z');
  });

  it('parses a location and rejects one without a timezone', () => {
    expect(parseGhlLocation({ location: { id: 'L', timezone: 'America/Chicago' } })).toMatchObject({ ok: true });
    expect(parseGhlLocation({ location: { id: 'L' } })).toMatchObject({ ok: false, code: 'GHL_PAYLOAD_INVALID' });
  });
});

describe('GHL webhooks', () => {
  it('maps create then reschedule (same id, new times, newer update time)', () => {
    const created = webhook('webhook-appointment-create.json').observation;
    const moved = webhook('webhook-appointment-update-rescheduled.json').observation;
    expect(created).toMatchObject({ status: 'scheduled', startAt: '2030-06-11T15:00:00.000Z', source: 'webhook' });
    expect(moved).toMatchObject({
      providerAppointmentId: created.providerAppointmentId,
      status: 'scheduled',
      startAt: '2030-06-18T15:00:00.000Z',
    });
    expect(Date.parse(moved.providerUpdatedAt ?? '')).toBeGreaterThan(Date.parse(created.providerUpdatedAt ?? ''));
  });

  it('maps a cancel update to canceled and a delete to deleted + canceled, versioned by the delivery time', () => {
    expect(webhook('webhook-appointment-update-cancelled.json').observation.status).toBe('canceled');
    const del = webhook('webhook-appointment-delete.json');
    expect(del.observation).toMatchObject({
      deleted: true,
      status: 'canceled',
      providerUpdatedAt: '2026-05-14T17:05:44.903Z',
    });
    expect(del.hints).toEqual({
      provider: 'ghl',
      contactId: 'FakeCon0000000000001',
      locationId: 'FakeLoc0000000000001',
    });
  });

  it('accepts payloads without timestamp and webhookId', () => {
    const body = fixture('webhook-appointment-create.json') as Record<string, unknown>;
    delete body.timestamp;
    delete body.webhookId;
    expect(webhook('bare', body).observation.status).toBe('scheduled');
  });

  it('acknowledges other webhook types as ignored', () => {
    expect(parseGhlWebhook({ type: 'ContactCreate', locationId: 'x' })).toEqual({
      ok: true,
      value: { kind: 'ignored', type: 'ContactCreate' },
    });
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
  ])('refuses an appointment webhook whose locationId is %s with GHL_LOCATION_MISSING', (_n, locationId) => {
    const body = fixture('webhook-appointment-create.json') as Record<string, unknown>;
    if (locationId === undefined) delete body.locationId;
    else body.locationId = locationId;
    expect(parseGhlWebhook(body)).toEqual({
      ok: false,
      code: 'GHL_LOCATION_MISSING',
      issues: ['locationId: required'],
    });
    // a malformed body stays a payload error, whatever its location
    expect(parseGhlWebhook({ ...body, appointment: { id: 'x' } })).toMatchObject({ code: 'GHL_PAYLOAD_INVALID' });
  });

  it('types locationId as present on every parsed appointment webhook', () => {
    const parsed = parseGhlWebhook(fixture('webhook-appointment-update-cancelled.json'));
    if (!parsed.ok || parsed.value.kind !== 'appointment') throw new Error('did not parse');
    const location: string = parsed.value.webhook.locationId;
    expect(location).toBe('FakeLoc0000000000001');
  });

  it.each([
    ['no type', { appointment: {} }],
    ['appointment missing', { type: 'AppointmentCreate' }],
    ['appointment without times', { type: 'AppointmentUpdate', appointment: { id: 'x' } }],
    ['array body', []],
  ])('rejects a malformed webhook (%s) with GHL_PAYLOAD_INVALID', (_n, body) => {
    expect(parseGhlWebhook(body)).toMatchObject({ ok: false, code: 'GHL_PAYLOAD_INVALID' });
  });
});

describe('GHL status table', () => {
  it.each([
    ['new', 'scheduled'],
    ['confirmed', 'scheduled'],
    ['active', 'scheduled'],
    ['booked', 'scheduled'],
    ['cancelled', 'canceled'],
    ['invalid', 'invalid'],
    ['showed', 'showed'],
    ['completed', 'showed'],
    ['noshow', 'no_show'],
    ['NoShow', 'no_show'],
  ])('%s → %s', (raw, expected) => {
    expect(mapGhlAppointmentStatus(raw)).toEqual({ ok: true, value: expected });
  });
  it('unknown or missing → GHL_STATUS_UNKNOWN', () => {
    expect(mapGhlAppointmentStatus('toString')).toMatchObject({ ok: false, code: 'GHL_STATUS_UNKNOWN' });
    expect(mapGhlAppointmentStatus(undefined)).toMatchObject({ ok: false, code: 'GHL_STATUS_UNKNOWN' });
  });
});
