import { describe, expect, it } from 'vitest';
import { backoffMs } from './esdb-subscription';

describe('resubscribe backoff', () => {
  const backoff = { initialMs: 100, maxMs: 5_000 };

  it('doubles per consecutive failure, jittered between half and all of the step', () => {
    for (const [failures, step] of [
      [1, 100],
      [2, 200],
      [3, 400],
      [6, 3_200],
    ] as const) {
      for (let i = 0; i < 50; i += 1) {
        const ms = backoffMs(backoff, failures);
        expect(ms).toBeGreaterThanOrEqual(step / 2);
        expect(ms).toBeLessThanOrEqual(step);
      }
    }
  });

  it('never exceeds the cap', () => {
    for (let failures = 1; failures < 80; failures += 1)
      expect(backoffMs(backoff, failures)).toBeLessThanOrEqual(5_000);
  });
});
