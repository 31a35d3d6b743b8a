import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapCalendlyDelivery } from './calendly/map-calendly';
import { mapGhlContactAppointment, mapGhlWebhook } from './ghl/map-ghl';
import { parseCalendlyWebhook } from './calendly/parse-calendly';
import { parseGhlContactAppointments, parseGhlWebhook } from './ghl/parse-ghl';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (p: string): unknown =>
  JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/fixtures', p), 'utf8'));
const ctx = {
  workspaceId: 'ws',
  source: 'webhook',
  observedAt: '2026-01-01T00:00:00.000Z',
  timeZone: 'America/Chicago',
} as const;

/** Replaces the value at a random path of `base` with `value`. */
function mutate(base: unknown, pathPick: number, value: unknown): unknown {
  const clone = structuredClone(base) as Record<string, unknown>;
  const paths: Array<[Record<string, unknown>, string]> = [];
  const walk = (o: unknown) => {
    if (o && typeof o === 'object')
      for (const [k, v] of Object.entries(o)) {
        paths.push([o as Record<string, unknown>, k]);
        walk(v);
      }
  };
  walk(clone);
  const target = paths[pathPick % paths.length];
  if (target) target[0][target[1]] = value;
  return clone;
}

const parsersAndMappers: Array<[string, string, (x: unknown) => unknown]> = [
  [
    'calendly webhook',
    'calendly/invitee-canceled-rescheduled.json',
    (x) => {
      const p = parseCalendlyWebhook(x);
      return p.ok && p.value.kind === 'invitee' ? mapCalendlyDelivery(p.value.delivery, ctx) : p;
    },
  ],
  [
    'ghl webhook',
    'ghl/webhook-appointment-create.json',
    (x) => {
      const p = parseGhlWebhook(x);
      return p.ok && p.value.kind === 'appointment' ? mapGhlWebhook(p.value.webhook, ctx) : p;
    },
  ],
  [
    'ghl contact appointments',
    'ghl/contact-appointments.json',
    (x) => {
      const p = parseGhlContactAppointments(x);
      return p.ok ? p.value.events.map((e) => mapGhlContactAppointment(e, ctx)) : p;
    },
  ],
];

describe('provider parsing never throws and never leaks values', () => {
  it.each(parsersAndMappers)('%s: random mutations of the fixture give ok or a coded failure', (_name, file, run) => {
    const base = fixture(file);
    fc.assert(
      fc.property(fc.nat(), fc.oneof(fc.anything(), fc.constant('leak@example.com')), (pick, value) => {
        const out = run(mutate(base, pick, value));
        const results = Array.isArray(out) ? out : [out];
        for (const r of results as Array<{ ok: boolean; code?: string; issues?: string[] }>) {
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) {
            expect(r.code).toMatch(/^[A-Z_]+$/);
            expect((r.issues ?? []).join(' ')).not.toContain('leak@example.com');
          }
        }
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it('arbitrary JSON values never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const [, , run] of parsersAndMappers) expect(() => run(v)).not.toThrow();
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
