/**
 * Encryption at rest for provider credentials and notify secrets: AES-256-GCM under a key derived
 * from RECON_SECRET_KEY. The associated data binds a sealed value to its workspace and purpose, so
 * a sealed blob copied to another row does not open. During a key rotation the box also opens
 * what the previous key sealed (RECON_SECRET_KEY_PREVIOUS) and says so, so `recon secrets rotate`
 * can re-seal it under the current key; it always seals under the current key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey } from './derive-key';

export type OpenResult =
  | { readonly ok: true; readonly value: string; readonly sealedUnder: 'current' | 'previous' }
  | { readonly ok: false; readonly code: 'SECRET_UNREADABLE' };

export interface SecretBox {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): OpenResult;
}

const VERSION = 'v1';

function openWith(key: Buffer, iv: string, tag: string, body: string, associatedData: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null; // wrong key or tampered row
  }
}

export function createSecretBox(rootSecret: string, previousRootSecret?: string): SecretBox {
  const key = deriveKey(rootSecret, 'credentials');
  const previous =
    previousRootSecret !== undefined && previousRootSecret !== '' ? deriveKey(previousRootSecret, 'credentials') : null;
  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, associatedData) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        return { ok: false, code: 'SECRET_UNREADABLE' };
      }
      const current = openWith(key, iv, tag, body, associatedData);
      if (current !== null) return { ok: true, value: current, sealedUnder: 'current' };
      const old = previous === null ? null : openWith(previous, iv, tag, body, associatedData);
      if (old !== null) return { ok: true, value: old, sealedUnder: 'previous' };
      // Wrong key (RECON_SECRET_KEY rotated without the previous one) or tampered row: a value, not a crash.
      return { ok: false, code: 'SECRET_UNREADABLE' };
    },
  };
}
