import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ObserveProviderAppointment } from '../../observation';
import { mapCalendlyDelivery, mapCalendlyInvitee } from './map-calendly';
import {
  parseCalendlyInviteeList,
  parseCalendlyScheduledEventList,
  parseCalendlyScheduledEventResource,
  parseCalendlyWebhook,
} from './parse-calendly';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/fixtures/calendly', name), 'utf8'));

const ctx = { workspaceId: 'ws-1', source: 'webhook', observedAt: '2026-03-20T00:00:00.000Z' } as const;
const WEBHOOKS = [
  'invitee-created.json',
  'invitee-canceled.json',
  'invitee-canceled-rescheduled.json',
  'invitee-created-after-reschedule.json',
  'invitee-no-show-created.json',
];
const INVITEE_B =
  'https://api.calendly.com/scheduled_events/e508f4b2-61ef-4d72-9d67-c35f8b2f6f6b/invitees/d4b75211-5a16-4078-bd2d-80abe8d176e8';
const INVITEE_C =
  'https://api.calendly.com/scheduled_events/6f9d3ee4-8802-4061-af00-a5dfc2fc2dc4/invitees/f655d9f4-a3a6-4d15-a4a3-0e1e97251ae5';

function mapFixture(name: string, body: unknown = fixture(name)) {
  const parsed = parseCalendlyWebhook(body);
  if (!parsed.ok || parsed.value.kind !== 'invitee') throw new Error(`fixture ${name} did not parse`);
  const mapped = mapCalendlyDelivery(parsed.value.delivery, ctx);
  if (!mapped.ok) throw new Error(`fixture ${name} did not map: ${mapped.issues.join()}`);
  return mapped.value;
}

describe('Calendly webhook deliveries', () => {
  it.each(WEBHOOKS)('given %s, it parses and maps to a valid observation', (name) => {
    const { observation } = mapFixture(name);
    expect(ObserveProviderAppointment.safeParse(observation).success).toBe(true);
    expect(observation.provider).toBe('calendly');
    expect(observation.providerAppointmentId).toMatch(/\/invitees\//);
  });

  it('maps a booking to scheduled with times, event uri and the invitee email as a hint', () => {
    const { observation, hints } = mapFixture('invitee-created.json');
    expect(observation).toMatchObject({
      status: 'scheduled',
      startAt: '2026-03-10T15:00:00.000Z',
      endAt: '2026-03-10T15:30:00.000Z',
      calendlyEventUri: 'https://api.calendly.com/scheduled_events/aa8e0af6-f793-4ddc-867e-7cf6ccf167f3',
      providerUpdatedAt: '2026-03-02T14:05:11.517Z',
      rescheduledFrom: null,
      rescheduledTo: null,
      canceledBy: null,
      deleted: false,
      leadId: null,
    });
    expect(hints).toEqual({
      provider: 'calendly',
      inviteeEmail: 'jordan.lead@example.com',
      guestEmails: [],
      utmTokens: [],
    });
  });

  it('maps a plain cancellation to canceled by the invitee, without a reschedule link', () => {
    const { observation } = mapFixture('invitee-canceled.json');
    expect(observation).toMatchObject({ status: 'canceled', canceledBy: 'invitee', rescheduledTo: null });
  });

  it('maps a reschedule-induced cancel to canceled + rescheduledTo the new invitee', () => {
    const { observation } = mapFixture('invitee-canceled-rescheduled.json');
    expect(observation).toMatchObject({
      status: 'canceled',
      rescheduledTo: INVITEE_C,
      providerAppointmentId: INVITEE_B,
    });
  });

  it('maps the new invitee of a reschedule to scheduled + rescheduledFrom, with event_guests as hints', () => {
    const { observation, hints } = mapFixture('invitee-created-after-reschedule.json');
    expect(observation).toMatchObject({
      status: 'scheduled',
      rescheduledFrom: INVITEE_B,
      providerAppointmentId: INVITEE_C,
    });
    expect(hints.guestEmails).toEqual(['jordan.colleague@example.com']);
  });

  it('maps invitee_no_show.created to no_show and invitee_no_show.deleted to scheduled (a later fact)', () => {
    const created = mapFixture('invitee-no-show-created.json').observation;
    expect(created.status).toBe('no_show');
    const body = fixture('invitee-no-show-created.json') as {
      event: string;
      created_at: string;
      payload: Record<string, unknown>;
    };
    const deletedBody = {
      ...body,
      event: 'invitee_no_show.deleted',
      created_at: '2026-03-14T09:00:00.000000Z',
      payload: { ...body.payload, no_show: null },
    };
    const deleted = mapFixture('deleted', deletedBody).observation;
    expect(deleted.status).toBe('scheduled');
    expect(Date.parse(deleted.providerUpdatedAt ?? '')).toBeGreaterThan(Date.parse(created.providerUpdatedAt ?? ''));
  });

  it('collects recon: booking tokens (raw, unverified) from utm_content and utm_term', () => {
    const body = fixture('invitee-created.json') as { payload: { tracking: Record<string, unknown> } };
    body.payload.tracking = {
      ...body.payload.tracking,
      utm_content: 'recon:lead-42.AAAAAAAAAAAAAAAAAAAAAA',
      utm_term: ' recon:lead-7 ',
    };
    expect(mapFixture('utm', body).hints.utmTokens).toEqual(['recon:lead-42.AAAAAAAAAAAAAAAAAAAAAA', 'recon:lead-7']);
  });

  it('ignores UTM values that are not recon: tokens', () => {
    const body = fixture('invitee-created.json') as { payload: { tracking: Record<string, unknown> } };
    body.payload.tracking = { ...body.payload.tracking, utm_content: 'newsletter', utm_term: 'recon:' };
    expect(mapFixture('utm', body).hints.utmTokens).toEqual([]);
  });

  it('passes a known lead id through', () => {
    const parsed = parseCalendlyWebhook(fixture('invitee-created.json'));
    if (!parsed.ok || parsed.value.kind !== 'invitee') throw new Error('no parse');
    const mapped = mapCalendlyDelivery(parsed.value.delivery, { ...ctx, leadId: 'lead-1' });
    expect(mapped.ok && mapped.value.observation.leadId).toBe('lead-1');
  });

  it('acknowledges other event names as ignored', () => {
    const parsed = parseCalendlyWebhook({
      event: 'routing_form_submission.created',
      created_at: '2026-03-02T14:05:12.000000Z',
      payload: {},
    });
    expect(parsed).toEqual({ ok: true, value: { kind: 'ignored', event: 'routing_form_submission.created' } });
  });

  type Body = Record<string, unknown> & {
    payload: Record<string, unknown> & { scheduled_event: Record<string, unknown> };
  };
  const malformed: Array<[string, (b: Body) => unknown]> = [
    ['not an object', () => 'hello'],
    ['null', () => null],
    ['missing payload', (b) => ({ ...b, payload: undefined })],
    [
      'bad start_time',
      (b) => ({
        ...b,
        payload: { ...b.payload, scheduled_event: { ...b.payload.scheduled_event, start_time: 'tomorrow' } },
      }),
    ],
    ['unknown invitee status', (b) => ({ ...b, payload: { ...b.payload, status: 'weird' } })],
    ['uri is a number', (b) => ({ ...b, payload: { ...b.payload, uri: 42 } })],
    ['missing created_at', (b) => ({ ...b, created_at: undefined })],
  ];
  it.each(malformed)(
    'rejects a malformed delivery (%s) with CALENDLY_PAYLOAD_INVALID and no input values',
    (_name, mutate) => {
      const body = fixture('invitee-created.json') as Body;
      const result = parseCalendlyWebhook(mutate(body));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.code).toBe('CALENDLY_PAYLOAD_INVALID');
      expect(result.issues.length).toBeGreaterThan(0);
      expect(result.issues.join(' ')).not.toMatch(/example\.com|weird|tomorrow|Jordan/);
    },
  );

  it('rejects an invitee whose event does not match the scheduled event', () => {
    const body = fixture('invitee-created.json') as { payload: { event: string } };
    body.payload.event = 'https://api.calendly.com/scheduled_events/other';
    const parsed = parseCalendlyWebhook(body);
    if (!parsed.ok || parsed.value.kind !== 'invitee') throw new Error('no parse');
    expect(mapCalendlyDelivery(parsed.value.delivery, ctx)).toMatchObject({
      ok: false,
      code: 'CALENDLY_PAYLOAD_INVALID',
    });
  });
});

describe('Calendly API responses', () => {
  it('parses both pages of List Events and follows the token', () => {
    const p1 = parseCalendlyScheduledEventList(fixture('scheduled-events-page1.json'));
    const p2 = parseCalendlyScheduledEventList(fixture('scheduled-events-page2.json'));
    expect(p1.ok && p1.value.collection.length).toBe(2);
    expect(p1.ok && p1.value.pagination?.next_page_token).toBe('smPkKL2UzF3c2OTPyjnnBdR16fJJBICI');
    expect(p2.ok && p2.value.pagination?.next_page_token).toBeNull();
  });

  it('parses Get Event and maps an API invitee (no-show state) with its event', () => {
    const ev = parseCalendlyScheduledEventResource(fixture('scheduled-event.json'));
    const inv = parseCalendlyInviteeList(fixture('scheduled-event-invitees.json'));
    if (!ev.ok || !inv.ok) throw new Error('no parse');
    const invitee = inv.value.collection[0];
    if (!invitee) throw new Error('empty');
    const mapped = mapCalendlyInvitee(ev.value.resource, invitee, { ...ctx, source: 'poller' });
    expect(mapped.ok && mapped.value.observation).toMatchObject({
      status: 'no_show',
      rescheduledFrom: INVITEE_B,
      source: 'poller',
    });
  });

  it('maps the old event of a reschedule read from the API to canceled + rescheduledTo', () => {
    const page = parseCalendlyScheduledEventList(fixture('scheduled-events-page1.json'));
    const inv = parseCalendlyInviteeList(fixture('scheduled-event-invitees-old-event.json'));
    if (!page.ok || !inv.ok) throw new Error('no parse');
    const event = page.value.collection[1];
    const invitee = inv.value.collection[0];
    if (!event || !invitee) throw new Error('empty');
    const mapped = mapCalendlyInvitee(event, invitee, ctx);
    expect(mapped.ok && mapped.value.observation).toMatchObject({
      status: 'canceled',
      rescheduledTo: INVITEE_C,
      canceledBy: 'invitee',
    });
  });

  it('rejects a list without a collection', () => {
    expect(parseCalendlyScheduledEventList({ pagination: {} })).toMatchObject({
      ok: false,
      code: 'CALENDLY_PAYLOAD_INVALID',
    });
    expect(parseCalendlyInviteeList({ collection: [{ uri: 1 }] })).toMatchObject({
      ok: false,
      code: 'CALENDLY_PAYLOAD_INVALID',
    });
  });
});
