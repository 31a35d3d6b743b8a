/**
 * The Calendly simulator's webhook subscriptions (calendly.md §1: `state` `active` | `disabled`;
 * Calendly disables a subscription whose deliveries keep failing). Listed by
 * `GET /webhook_subscriptions?organization=…&scope=organization`.
 */
export type CalendlySubscriptionState = 'active' | 'disabled';

export interface CalendlySimSubscription {
  readonly uuid: string;
  readonly organizationUri: string;
  readonly callbackUrl: string;
  state: CalendlySubscriptionState;
  readonly createdMs: number;
  updatedMs: number;
}

export function subscriptionResource(s: CalendlySimSubscription, base: string): Record<string, unknown> {
  return {
    uri: `${base}/webhook_subscriptions/${s.uuid}`,
    callback_url: s.callbackUrl,
    created_at: new Date(s.createdMs).toISOString(),
    updated_at: new Date(s.updatedMs).toISOString(),
    retry_started_at: s.state === 'disabled' ? new Date(s.updatedMs).toISOString() : null,
    state: s.state,
    events: ['invitee.created', 'invitee.canceled', 'invitee_no_show.created'],
    scope: 'organization',
    organization: s.organizationUri,
    user: null,
    creator: null,
  };
}
