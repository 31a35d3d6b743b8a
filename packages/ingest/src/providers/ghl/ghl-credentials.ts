/**
 * GHL credentials: a location (sub-account) token, the location id, optional API base URL, and the
 * public keys GHL signs webhooks with (unset: GHL's published keys). Only the token is secret.
 * The location id is also the tenant check of every webhook (GHL signs all deliveries with one
 * global key), and the legacy RSA signature is accepted only when `allowLegacyRsa` is set.
 */
import { z } from 'zod';
import type { ProviderCredentialsSpec } from '../provider-module';

export const GHL_API_BASE_URL = 'https://services.leadconnectorhq.com';

const pem = z
  .string()
  .min(1)
  .max(8192)
  .regex(/-----BEGIN PUBLIC KEY-----/, 'PEM_PUBLIC_KEY_EXPECTED');

/**
 * Public keys GHL signs webhooks with (unset fields fall back to GHL's published keys), and whether
 * the legacy RSA header `x-wh-signature` is accepted at all (default false: Ed25519 only).
 */
export const GhlWebhookVerification = z.strictObject({
  ed25519PublicKey: pem.optional(),
  rsaPublicKey: pem.optional(),
  allowLegacyRsa: z.boolean().optional(),
});
export type GhlWebhookVerificationInput = z.infer<typeof GhlWebhookVerification>;
export type GhlWebhookVerification = GhlWebhookVerificationInput & { readonly allowLegacyRsa: boolean };

/** The stored verification settings with the default spelled out (the GET view shows it). */
function withDefaults(v: GhlWebhookVerificationInput | undefined): GhlWebhookVerification {
  return { ...v, allowLegacyRsa: v?.allowLegacyRsa ?? false };
}

export const GhlCredentialsInput = z.strictObject({
  accessToken: z.string().min(1).max(4096),
  locationId: z.string().min(1).max(100),
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  webhookVerification: GhlWebhookVerification.optional(),
});
export type GhlCredentialsInput = z.infer<typeof GhlCredentialsInput>;

export interface GhlCredentials {
  readonly accessToken: string;
  readonly locationId: string;
  readonly apiBaseUrl: string;
  readonly webhookVerification: GhlWebhookVerification;
}

export const ghlCredentials: ProviderCredentialsSpec<GhlCredentialsInput, GhlCredentials> = {
  input: GhlCredentialsInput,
  defaultApiBaseUrl: GHL_API_BASE_URL,
  example: { accessToken: 'pit-0f3c…', locationId: 've9EPM428h8vShlRW1KT' },
  split: (c) => ({
    publicConfig: {
      locationId: c.locationId,
      apiBaseUrl: c.apiBaseUrl ?? GHL_API_BASE_URL,
      webhookVerification: withDefaults(c.webhookVerification),
    },
    secret: { accessToken: c.accessToken },
  }),
  read: ({ publicConfig: p, secret: s }) => {
    const verification = GhlWebhookVerification.safeParse(p['webhookVerification'] ?? {});
    return {
      accessToken: String(s['accessToken']),
      locationId: String(p['locationId']),
      apiBaseUrl: String(p['apiBaseUrl'] ?? GHL_API_BASE_URL),
      webhookVerification: withDefaults(verification.success ? verification.data : undefined),
    };
  },
};
