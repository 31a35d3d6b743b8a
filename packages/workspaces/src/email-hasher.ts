/**
 * The only way an email enters an event: a keyed hash. HMAC-SHA256 under a per-workspace key
 * derived from RECON_SECRET_KEY, over the trimmed, lower-cased email. Per-workspace keys mean the
 * same person has unrelated hashes in two workspaces.
 */
import { createHmac } from 'node:crypto';
import { deriveKey } from './derive-key';

export type EmailHasher = (workspaceId: string, email: string) => string;

/** Trimmed and lower-cased: the form every email is compared and hashed in. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createEmailHasher(rootSecret: string): EmailHasher {
  const keys = new Map<string, Buffer>();
  return (workspaceId, email) => {
    let key = keys.get(workspaceId);
    if (key === undefined) {
      key = deriveKey(rootSecret, `email-hash:${workspaceId}`);
      if (keys.size > 10_000) keys.clear();
      keys.set(workspaceId, key);
    }
    return createHmac('sha256', key).update(normalizeEmail(email), 'utf8').digest('hex');
  };
}
