/**
 * Cal.com credentials: an API key or OAuth access token (`BOOKING_READ`) and the webhook
 * subscription's secret (both sealed), and an optional API base URL (public; EU accounts use
 * `https://api.cal.eu`, self-hosted instances their own API v2 host).
 */
import { z } from 'zod';
import type { ProviderCredentialsSpec } from '../provider-module';

export const CALCOM_API_BASE_URL = 'https://api.cal.com';

const secretString = z.string().min(1).max(4096);

export const CalcomCredentialsInput = z.strictObject({
  accessToken: secretString,
  webhookSecret: secretString,
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
});
export type CalcomCredentialsInput = z.infer<typeof CalcomCredentialsInput>;

export interface CalcomCredentials {
  readonly accessToken: string;
  readonly webhookSecret: string;
  readonly apiBaseUrl: string;
}

export const calcomCredentials: ProviderCredentialsSpec<CalcomCredentialsInput, CalcomCredentials> = {
  input: CalcomCredentialsInput,
  defaultApiBaseUrl: CALCOM_API_BASE_URL,
  example: { accessToken: 'cal_live_…', webhookSecret: 'whsec-…' },
  split: (c) => ({
    publicConfig: { apiBaseUrl: c.apiBaseUrl ?? CALCOM_API_BASE_URL },
    secret: { accessToken: c.accessToken, webhookSecret: c.webhookSecret },
  }),
  read: ({ publicConfig: p, secret: s }) => ({
    accessToken: String(s['accessToken']),
    webhookSecret: String(s['webhookSecret']),
    apiBaseUrl: String(p['apiBaseUrl'] ?? CALCOM_API_BASE_URL),
  }),
};
