/**
 * One root secret (RECON_SECRET_KEY) keys everything recon protects; each purpose gets its own
 * HKDF-SHA256 sub-key so a leak of one derived key reveals nothing about the others.
 */
import { hkdfSync } from 'node:crypto';

const SALT = 'recon/v1';

/** A 32-byte key for `purpose` (e.g. `credentials`, `email-hash:<workspaceId>`). */
export function deriveKey(rootSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(rootSecret, 'utf8'), SALT, purpose, 32));
}
