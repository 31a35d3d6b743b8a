/** Test support: the shared provider fixtures (../shared beside the repo) and webhook signing. */
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures');

/** The exact bytes of a fixture file (signature vectors cover exact bytes). */
export function fixtureBytes(relative: string): Buffer {
  return readFileSync(path.join(fixturesDir, relative));
}

export function fixtureJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(fixtureBytes(relative).toString('utf8')) as T;
}

interface SignatureVectors {
  vectors: { signing_key: string; t: number; header: string; body?: string; body_file?: string; expected: string }[];
}

export const calendlyVectors = fixtureJson<SignatureVectors>('calendly/signature-vectors.json');
export const CALENDLY_FIXTURE_KEY = calendlyVectors.vectors[0]!.signing_key;

/** `t=…,v1=…` over `t + "." + body` with the key, as Calendly signs. */
export function signCalendly(body: Buffer | string, key: string, tSeconds: number): string {
  const v1 = createHmac('sha256', key).update(`${tSeconds}.`).update(body).digest('hex');
  return `t=${tSeconds},v1=${v1}`;
}

export interface Ed25519Pair {
  readonly publicKeyPem: string;
  readonly privateKey: KeyObject;
}

export function ed25519Pair(): Ed25519Pair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

/** base64 Ed25519 signature over the raw body, as GHL's `x-ghl-signature`. */
export function signGhl(body: Buffer | string, pair: Ed25519Pair): string {
  return sign(null, typeof body === 'string' ? Buffer.from(body) : body, pair.privateKey).toString('base64');
}
