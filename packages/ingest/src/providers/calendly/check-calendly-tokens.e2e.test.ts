/**
 * Booking tokens on the Calendly lead check (a reconciliation read, not a webhook): a booking the
 * check finds by the lead's email records as its `utmLeadIds` match keys only the lead ids of tokens
 * signed for the workspace; a spoofed token is dropped and counted.
 */
import { appointmentStreamName } from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileLead } from '../../reconcile/reconcile-lead';
import { startHarness, type Harness } from '../../reconcile/testing/reconcile-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ name: 'check-calendly-tokens' });
});
afterAll(async () => {
  await h?.close();
});

describe('Calendly lead check and booking tokens', () => {
  it('keeps the signed token as a match key, drops and counts the spoofed one', async () => {
    const ws = await h.createWorkspace({ name: 'Check tokens', ghl: false });
    await h.putLead(ws.id, 'lead-c', { email: 'check.tokens@example.com' });
    const unsignedBefore =
      h.deps.bookingTokens.refusals().find((r) => r.provider === 'calendly' && r.reason === 'unsigned')?.count ?? 0;
    const start = Date.now() + 2 * 86_400_000;
    const spoofed = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'check.tokens@example.com',
      startTime: start,
      utmContent: 'recon:lead-victim',
    });
    const signed = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'check.tokens@example.com',
      startTime: start + 3_600_000,
      utmContent: h.deps.bookingTokens.issue(ws.id, 'lead-c'),
    });
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-c', source: 'manual' });
    expect(r.ok).toBe(true);
    const first = async (uri: string) =>
      (await h.store.readStream(appointmentStreamName(ws.id, 'calendly', uri)))[0]?.data;
    expect(await first(spoofed.inviteeUri)).toMatchObject({ leadId: 'lead-c', matchKeys: { utmLeadIds: [] } });
    expect(await first(signed.inviteeUri)).toMatchObject({ leadId: 'lead-c', matchKeys: { utmLeadIds: ['lead-c'] } });
    expect(
      h.deps.bookingTokens.refusals().find((x) => x.provider === 'calendly' && x.reason === 'unsigned')?.count,
    ).toBe(unsignedBefore + 1);
  });
});
