import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config';

describe('loadConfig: key rotation, backfill span, retention', () => {
  it('reads RECON_SECRET_KEY_PREVIOUS, RECON_BACKFILL_MAX_DAYS and RECON_RETENTION_DAYS', () => {
    const result = loadConfig({
      RECON_SECRET_KEY: 'n'.repeat(40),
      RECON_SECRET_KEY_PREVIOUS: 'o'.repeat(40),
      RECON_BACKFILL_MAX_DAYS: '90',
      RECON_RETENTION_DAYS: '0',
    });
    expect(result.ok && result.value).toMatchObject({
      secretKey: 'n'.repeat(40),
      previousSecretKey: 'o'.repeat(40),
      backfillMaxDays: 90,
      retentionDays: 0,
    });
    expect(loadConfig({ RECON_SECRET_KEY_PREVIOUS: '' }).ok && loadConfig({}).ok).toBe(true);
  });

  it.each([
    ['RECON_SECRET_KEY_PREVIOUS', 'too-short-previous'],
    ['RECON_BACKFILL_MAX_DAYS', '0'],
    ['RECON_BACKFILL_MAX_DAYS', 'forever'],
    ['RECON_RETENTION_DAYS', '-1'],
  ])('refuses %s=%s, naming the variable and never the value', (name, value) => {
    const result = loadConfig({ [name]: value });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(name);
      expect(result.message).not.toContain(value);
    }
  });
});
