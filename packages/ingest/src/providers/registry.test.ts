import { PROVIDER_NAMES } from '@recon/domain';
import { describe, expect, it } from 'vitest';
import { asProvider, providerModules, providerNames } from './registry';

describe('the provider registry', () => {
  it('holds one module per domain provider, each under its own name', () => {
    expect([...providerNames].sort()).toEqual([...PROVIDER_NAMES].sort());
    for (const name of providerNames) expect(providerModules[name].name).toBe(name);
  });

  it('every module declares its credentials: a strict PUT schema, an https default base URL, a split without the secret in the public part', () => {
    for (const module of Object.values(providerModules)) {
      expect(module.credentials.defaultApiBaseUrl).toMatch(/^https:\/\//);
      expect(module.credentials.input.safeParse({ unknownField: 1 }).success).toBe(false);
      expect(module.displayName.length).toBeGreaterThan(0);
      expect(module.rateLimit.defaults.maxRequests).toBeGreaterThan(0);
    }
  });

  it('names from outside are checked against the registry', () => {
    expect(asProvider('calendly')).toBe('calendly');
    expect(asProvider('toString')).toBeNull();
    expect(asProvider('zoom')).toBeNull();
  });
});
