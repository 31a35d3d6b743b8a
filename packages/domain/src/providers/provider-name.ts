/**
 * The provider names recon knows, declared once. A leaf module on purpose: event schemas use
 * `Provider` while they are being defined, and the provider modules (./<name>/) depend on those
 * schemas, so the names cannot live beside the registry without an import cycle.
 * Adding a provider: its name here, its module in `provider-registry.ts` (the compiler asks for it).
 */
import { z } from 'zod';

export const PROVIDER_NAMES = ['ghl', 'calendly', 'calcom'] as const;

export const Provider = z.enum(PROVIDER_NAMES);
export type Provider = z.infer<typeof Provider>;

/** Type guard for a provider name read from outside (a route parameter, a stored row). */
export function isProvider(value: unknown): value is Provider {
  return typeof value === 'string' && (PROVIDER_NAMES as readonly string[]).includes(value);
}
