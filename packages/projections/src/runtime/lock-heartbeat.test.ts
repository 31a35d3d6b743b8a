import { waitFor } from '@recon/testkit';
import { describe, expect, it } from 'vitest';
import { startLockHeartbeat } from './lock-heartbeat';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startLockHeartbeat', () => {
  it('reports a failed probe once, and never probes while a batch holds the connection', async () => {
    let probes = 0;
    let healthy = true;
    const lost: unknown[] = [];
    const hb = startLockHeartbeat(
      async () => {
        probes += 1;
        if (!healthy) throw Object.assign(new Error('gone'), { code: '57P01' });
      },
      { everyMs: 10, timeoutMs: 1_000 },
      (e) => lost.push(e),
    );
    try {
      await hb.whileBusy(async () => {
        const before = probes;
        await tick(60);
        expect(probes).toBe(before);
      });
      await waitFor(() => probes > 0, { timeoutMs: 5_000, description: 'a probe after the batch' });
      expect(hb.lost()).toBeNull();
      healthy = false;
      await waitFor(() => lost.length > 0, { timeoutMs: 5_000, description: 'lost reported' });
      await tick(50);
      expect(lost).toHaveLength(1);
      expect((hb.lost() as { code: string }).code).toBe('57P01');
    } finally {
      hb.stop();
    }
  });

  it('counts a probe that hangs past its timeout as lost (half-open connection)', async () => {
    const lost: unknown[] = [];
    const hb = startLockHeartbeat(
      () => new Promise(() => undefined),
      { everyMs: 10, timeoutMs: 30 },
      (e) => lost.push(e),
    );
    try {
      await waitFor(() => lost.length > 0, { timeoutMs: 5_000, description: 'lost reported' });
      expect(lost).toHaveLength(1);
      expect(String(hb.lost())).toMatch(/timed out/);
    } finally {
      hb.stop();
    }
  });
});
