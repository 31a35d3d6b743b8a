/** Deterministic UUIDv5 (RFC 4122, SHA-1) so ids derived from facts are the same on every run. */
import { createHash } from 'node:crypto';

/** Namespace of every recon projection-derived id (a fixed random UUID). */
export const RECON_PROJECTIONS_NAMESPACE = '7b0f7a0e-4f7d-4b7e-9a53-2f4c7c1f6d21';

export function uuidV5(name: string, namespace: string = RECON_PROJECTIONS_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
