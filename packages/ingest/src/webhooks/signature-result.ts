/** What a provider's webhook signature check answers (the codes are in the API's error table). */
export type WebhookSignatureCode =
  | 'WEBHOOK_SIGNATURE_MISSING'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_SIGNATURE_STALE'
  | 'GHL_LEGACY_SIGNATURE_DISABLED';

export type SignatureResult = { readonly ok: true } | { readonly ok: false; readonly code: WebhookSignatureCode };
