/**
 * The organization's Calendly webhook subscriptions (calendly.md §1: `GET /webhook_subscriptions`,
 * `state` `active` | `disabled`; Calendly disables a subscription whose deliveries keep failing, and
 * then sends nothing). First page only (an organization has a handful); ids and states only.
 */
import { z } from 'zod';
import type { ProviderCallResult } from '../provider-call-result';
import { getJson, type ProviderHttpOptions } from '../provider-http';
import { calendlyRateLimit } from './calendly-rate-limit';

export interface WebhookSubscriptionState {
  readonly uri: string;
  readonly state: 'active' | 'disabled';
}

const SubscriptionList = z.object({
  collection: z.array(z.object({ uri: z.string().max(500), state: z.enum(['active', 'disabled']) }).loose()).max(100),
});

export async function listCalendlyWebhookSubscriptions(
  http: ProviderHttpOptions,
  organizationUri: string,
): Promise<ProviderCallResult<readonly WebhookSubscriptionState[]>> {
  const r = await getJson(http, {
    path: '/webhook_subscriptions',
    query: { organization: organizationUri, scope: 'organization', count: '100' },
    parse: (body) => {
      const p = SubscriptionList.safeParse(body);
      return p.success ? { ok: true, value: p.data } : { ok: false, issues: p.error.issues.map((i) => i.code) };
    },
    rateLimit: calendlyRateLimit,
  });
  return r.ok ? { ok: true, value: r.value.collection.map((s) => ({ uri: s.uri, state: s.state })) } : r;
}
