import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value of the condition', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `done after ${calls}` : false), { intervalMs: 1 });
    expect(value).toBe('done after 3');
  });

  it('treats a throwing condition as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls < 2) throw new Error('not ready');
        return calls;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(2);
  });

  it('fails after the deadline with the last error', async () => {
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 60, intervalMs: 5, description: 'the thing' },
      ),
    ).rejects.toThrow(/the thing not met within 60 ms: still broken/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});
