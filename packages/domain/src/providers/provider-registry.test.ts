import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapCalendlyDelivery } from './calendly/map-calendly';
import { parseCalendlyWebhook } from './calendly/parse-calendly';
import { mapGhlWebhook } from './ghl/map-ghl';
import { parseGhlWebhook } from './ghl/parse-ghl';
import { PROVIDER_NAMES, Provider, isProvider } from './provider-name';
import { DOMAIN_PROVIDERS, domainProvider, domainProviders } from './provider-registry';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (provider: string, name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/fixtures', provider, name), 'utf8'));
const ctx = { workspaceId: 'ws-test', source: 'webhook', observedAt: '2026-05-28T00:00:00.000Z' } as const;

describe('provider registry', () => {
  it('has exactly one entry per declared provider name, each under its own name', () => {
    expect(Object.keys(DOMAIN_PROVIDERS).sort()).toEqual([...PROVIDER_NAMES].sort());
    expect(domainProviders().map((p) => p.name)).toEqual([...PROVIDER_NAMES]);
    for (const name of PROVIDER_NAMES) expect(domainProvider(name).name).toBe(name);
    expect(Provider.options).toEqual([...PROVIDER_NAMES]);
  });

  it('recognizes provider names and refuses others', () => {
    for (const name of PROVIDER_NAMES) expect(isProvider(name)).toBe(true);
    expect(isProvider('outlook')).toBe(false);
    expect(isProvider('constructor')).toBe(false);
    expect(isProvider(1)).toBe(false);
  });

  it('observeWebhook gives the same observation as the provider parser and mapper', () => {
    const ghlBody = fixture('ghl', 'webhook-appointment-create.json');
    const ghlParsed = parseGhlWebhook(ghlBody);
    if (!ghlParsed.ok || ghlParsed.value.kind !== 'appointment') throw new Error('ghl fixture did not parse');
    const ghlMapped = mapGhlWebhook(ghlParsed.value.webhook, { ...ctx, timeZone: null });
    expect(domainProvider('ghl').observeWebhook(ghlBody, ctx)).toEqual(
      ghlMapped.ok ? { ok: true, value: { kind: 'observed', ...ghlMapped.value, creates: true } } : ghlMapped,
    );

    const calBody = fixture('calendly', 'invitee-canceled.json');
    const calParsed = parseCalendlyWebhook(calBody);
    if (!calParsed.ok || calParsed.value.kind !== 'invitee') throw new Error('calendly fixture did not parse');
    const calMapped = mapCalendlyDelivery(calParsed.value.delivery, ctx);
    expect(domainProvider('calendly').observeWebhook(calBody, ctx)).toEqual(
      calMapped.ok ? { ok: true, value: { kind: 'observed', ...calMapped.value, creates: false } } : calMapped,
    );
  });

  it('observeWebhook answers ignored for other event types and the provider code for unreadable bodies', () => {
    expect(domainProvider('ghl').observeWebhook({ type: 'ContactCreate' }, ctx)).toEqual({
      ok: true,
      value: { kind: 'ignored', type: 'ContactCreate' },
    });
    expect(
      domainProvider('calendly').observeWebhook(
        { event: 'routing_form_submission.created', created_at: '2026-05-28T00:00:00.000000Z', payload: {} },
        ctx,
      ),
    ).toEqual({ ok: true, value: { kind: 'ignored', type: 'routing_form_submission.created' } });
    for (const p of domainProviders())
      expect(p.observeWebhook(42, ctx)).toMatchObject({ ok: false, code: p.payloadInvalidCode });
  });

  it('keys a Calendly invitee by its UUID and every other id by itself', () => {
    const uri = 'https://api.calendly.com/scheduled_events/EV1/invitees/0a1b2c3d-0000-4000-8000-000000000001';
    expect(domainProvider('calendly').appointmentKey(uri)).toBe('0a1b2c3d-0000-4000-8000-000000000001');
    expect(domainProvider('calendly').appointmentKey('not-a-uri')).toBe('not-a-uri');
    expect(domainProvider('ghl').appointmentKey(uri)).toBe(uri);
  });
});
