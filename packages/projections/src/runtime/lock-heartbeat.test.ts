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
      await tick(40);
      expect(probes).toBeGreaterThan(0);
      expect(hb.lost()).toBeNull();
      healthy = false;
      await tick(80);
      expect(lost).toHaveLength(1);
      expect((hb.lost() as { code: string }).code).toBe('57P01');
    } finally {
      hb.stop();
    }
  });

  it('counts a probe that hangs past its timeout as lost (half-open connection)', async () => {
    const lost: unknown[] = [];
    const hb = startLockHeartbeat(() => new Promise(() => undefined), { everyMs: 10, timeoutMs: 30 }, (e) => lost.push(e));
    try {
      await tick(120);
      expect(lost).toHaveLength(1);
      expect(String(hb.lost())).toMatch(/timed out/);
    } finally {
      hb.stop();
    }
  });
});
