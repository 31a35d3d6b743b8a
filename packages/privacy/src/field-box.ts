/**
 * AES-256-GCM under a stream's data key, the associated data binding a sealed value to its stream
 * and event type (a blob copied into another stream or event does not open). Format:
 * `v1.<keyId>.<iv>.<tag>.<body>` (base64url parts), so a reader knows which key sealed it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StreamKey } from '@recon/workspaces';

const VERSION = 'v1';

export function sealWithKey(key: StreamKey, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    VERSION,
    key.keyId,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

/** The key id a sealed value names, or null when it is not one. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  return parts.length === 5 && parts[0] === VERSION && parts[1] !== '' ? (parts[1] ?? null) : null;
}

/** The plaintext, or null: another key (destroyed, replaced), or a tampered value. */
export function openWithKey(key: StreamKey, sealed: string, associatedData: string): string | null {
  const [version, keyId, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || keyId !== key.keyId || iv === undefined || tag === undefined || body === undefined)
    return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
