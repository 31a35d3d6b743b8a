/**
 * Calendly credentials: an organization owner/admin token and the webhook signing key (both
 * secret), the organization URI and an optional API base URL (public).
 */
import { z } from 'zod';
import type { ProviderCredentialsSpec } from '../provider-module';

export const CALENDLY_API_BASE_URL = 'https://api.calendly.com';

const secretString = z.string().min(1).max(4096);

export const CalendlyCredentialsInput = z.strictObject({
  accessToken: secretString,
  organizationUri: z.string().min(1).max(500),
  webhookSigningKey: secretString,
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
});
export type CalendlyCredentialsInput = z.infer<typeof CalendlyCredentialsInput>;

export interface CalendlyCredentials {
  readonly accessToken: string;
  readonly organizationUri: string;
  readonly webhookSigningKey: string;
  readonly apiBaseUrl: string;
}

export const calendlyCredentials: ProviderCredentialsSpec<CalendlyCredentialsInput, CalendlyCredentials> = {
  input: CalendlyCredentialsInput,
  defaultApiBaseUrl: CALENDLY_API_BASE_URL,
  example: {
    accessToken: 'eyJraWQiOi…',
    organizationUri: 'https://api.calendly.com/organizations/AAAAAAAAAAAAAAAA',
    webhookSigningKey: 'whsec-…',
  },
  split: (c) => ({
    publicConfig: { organizationUri: c.organizationUri, apiBaseUrl: c.apiBaseUrl ?? CALENDLY_API_BASE_URL },
    secret: { accessToken: c.accessToken, webhookSigningKey: c.webhookSigningKey },
  }),
  read: ({ publicConfig: p, secret: s }) => ({
    accessToken: String(s['accessToken']),
    webhookSigningKey: String(s['webhookSigningKey']),
    organizationUri: String(p['organizationUri']),
    apiBaseUrl: String(p['apiBaseUrl'] ?? CALENDLY_API_BASE_URL),
  }),
};
