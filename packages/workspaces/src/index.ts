/**
 * @recon/workspaces: configuration and PII storage (workspaces, api keys, encrypted provider
 * credentials, settings, lead contacts) and the keyed email hash. Not event-sourced on purpose:
 * secrets and PII never enter an event.
 */
export * from './database';
export { migrateWorkspaces } from './migrate-workspaces';
export { deriveKey } from './derive-key';
export { createSecretBox, type SecretBox, type OpenResult } from './secret-box';
export { resealAllSecrets, type ResealCounts, type ResealReport } from './reseal-secrets';
export type { ResealOutcome } from './reseal-outcome';
export {
  destroyStreamKeys,
  ensureStreamKeys,
  findStreamKeys,
  resealStreamKeys,
  type StreamKey,
  type StreamKeyRead,
} from './stream-keys';
export { createEmailHasher, normalizeEmail, type EmailHasher } from './email-hasher';
export { createWorkspace, getWorkspace, listWorkspaceIds, toWorkspace, type Workspace } from './workspaces';
export {
  createApiKey,
  revokeApiKey,
  findApiKey,
  hashApiKey,
  type CreatedApiKey,
  type ApiKeyIdentity,
  type RevokeApiKeyResult,
} from './api-keys';
export { listApiKeys, getApiKeyInfo, type ApiKeyInfo } from './list-api-keys';
export { listWorkspaces } from './list-workspaces';
export * from './provider-credentials';
export * from './settings';
export { listWorkspaceRuleSettings, type WorkspaceRuleSettings } from './workspace-rule-settings';
export * from './lead-contacts';
export { createBookingTokens, BOOKING_TOKEN_PREFIX, type BookingTokens, type BookingTokenCheck } from './booking-token';
