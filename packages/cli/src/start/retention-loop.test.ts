import { describe, expect, it } from 'vitest';
import { startRetention, type RetentionTask } from './retention-loop';

const NOW = new Date('2030-06-01T00:00:00.000Z');

function recorder() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return {
    lines,
    log: {
      info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
      warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
    },
  };
}

describe('startRetention', () => {
  it('given 30 days, then each task prunes before now − 30 days; a failing task is logged by code and the others still run', async () => {
    const cutoffs: string[] = [];
    const tasks: RetentionTask[] = [
      { name: 'a', prune: async (before) => (cutoffs.push(before.toISOString()), 3) },
      {
        name: 'b',
        prune: async () => {
          throw Object.assign(new Error('connection to 10.0.0.1 refused'), { code: 'ECONNREFUSED' });
        },
      },
      { name: 'c', prune: async () => 0 },
    ];
    const { lines, log } = recorder();
    const handle = startRetention({ tasks, days: 30, clock: () => NOW, log, initialDelayMs: 60_000 });
    try {
      expect(await handle.runNow()).toEqual({ a: 3, c: 0 });
      expect(cutoffs).toEqual(['2030-05-02T00:00:00.000Z']);
      expect(lines).toEqual([
        {
          level: 'warn',
          obj: { code: 'RETENTION_FAILED', task: 'b', cause: 'Error:ECONNREFUSED' },
          msg: 'retention: pruning failed',
        },
        {
          level: 'info',
          obj: { before: '2030-05-02T00:00:00.000Z', deleted: { a: 3, c: 0 } },
          msg: 'retention: old rows deleted',
        },
      ]);
    } finally {
      await handle.stop();
    }
  });

  it('given 0 days, then nothing is pruned (0 keeps everything)', async () => {
    let called = false;
    const handle = startRetention({
      tasks: [{ name: 'a', prune: async () => ((called = true), 1) }],
      days: 0,
      clock: () => NOW,
      log: recorder().log,
      initialDelayMs: 0,
    });
    expect(await handle.runNow()).toEqual({});
    await handle.stop();
    expect(called).toBe(false);
  });
});
