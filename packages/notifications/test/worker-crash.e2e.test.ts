/**
 * Crash safety: a worker process SIGKILLed with deliveries in flight (the receiver took some of
 * them, answered none). A restarted worker resends exactly those rows once their claim lease ran
 * out, with the same idempotency ids: the receiver dedupes them and sees no new id.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { appendEvents, waitFor } from '@recon/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { notificationOutbox, startNotificationWorker } from '../src/index';
import { NotificationScenario } from './testing/notification-scenario';
import {
  LOCAL_RECEIVERS,
  SECRET_KEY,
  setupDatabase,
  workspaceNotifyingTo,
  type TestContext,
} from './testing/notifications-test-context';
import { startReceiver, type Receiver } from './testing/receiver';

const here = path.dirname(fileURLToPath(import.meta.url));
let t: TestContext;
let receiver: Receiver;
let projections: ProjectionsHandle;

beforeAll(async () => {
  t = await setupDatabase('notification-crash');
  receiver = await startReceiver();
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date(),
    sideEffects: [notificationOutbox()],
    options: { lockPollMs: 50, idleMs: 5 },
  });
});
afterAll(async () => {
  await projections.stop();
  await receiver.close();
  await t.close();
});

it('a worker killed mid-delivery loses nothing and the restart sends no new ids', { timeout: 60_000 }, async () => {
  const ws = await workspaceNotifyingTo(t.db, receiver.url);
  const s = new NotificationScenario(ws);
  const events = ['C1', 'C2', 'C3'].flatMap((lead, i) => [s.registered(lead), ...s.bookThenCancel(lead, `c${i}`, 0)]);
  const last = await appendEvents(t.store, events);
  expect(await projections.waitUntilCaughtUp(last, { timeoutMs: 15_000 })).toMatchObject({ ok: true });
  const rows = await t.outbox
    .selectFrom('notification_outbox')
    .select(['id', 'lead_id'])
    .where('workspace_id', '=', ws)
    .orderBy('seq')
    .execute();
  expect(rows.length).toBeGreaterThanOrEqual(3);

  // C1's first notification is taken but never answered; the others hang unanswered.
  receiver.behaviour = ({ leadId }) => (leadId === 'C1' ? 'accept-then-hang' : 'hang');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing', 'worker-child.ts')], {
    env: { ...process.env, WORKER_DATABASE_URL: t.fresh.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await waitFor(() => new Set(receiver.requests.map((r) => r.leadId)).size === 3, {
    timeoutMs: 20_000,
    description: `one delivery per lead in flight (child: ${output.slice(-300)})`,
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const inFlight = receiver.requests.map((r) => r.id);
  expect(inFlight).toHaveLength(3);
  const claimed = await t.outbox
    .selectFrom('notification_outbox')
    .select(['id', 'status', 'attempts'])
    .where('id', 'in', inFlight)
    .execute();
  expect(claimed.every((r) => r.status === 'pending' && r.attempts === 1)).toBe(true);

  receiver.behaviour = () => 200;
  const worker = startNotificationWorker({
    db: t.db,
    secretKey: SECRET_KEY,
    outboundPolicy: LOCAL_RECEIVERS,
    options: { pollMs: 20, timeoutMs: 1_500, backoff: { baseMs: 20, maxMs: 100 }, targetsTtlMs: 0 },
  });
  try {
    await waitFor(
      async () => {
        const pending = await t.outbox
          .selectFrom('notification_outbox')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('status', '!=', 'delivered')
          .execute();
        return pending.length === 0;
      },
      { timeoutMs: 20_000, description: 'all delivered after the restart' },
    );
  } finally {
    await worker.stop();
  }
  const ids = new Set(rows.map((r) => r.id));
  // Nothing lost, nothing new: the receiver holds exactly the outbox's ids, each once.
  expect(new Set(receiver.accepted.keys())).toEqual(ids);
  expect(receiver.requests.every((r) => ids.has(r.id) && r.signatureValid)).toBe(true);
  // C1's in-flight notification came twice with one id; the receiver dropped the copy.
  expect(receiver.duplicates).toBe(1);
  const resent = await t.outbox
    .selectFrom('notification_outbox')
    .select(['id', 'attempts'])
    .where('id', 'in', inFlight)
    .execute();
  expect(resent.map((r) => r.attempts)).toEqual([2, 2, 2]);
});
