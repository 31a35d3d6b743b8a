/**
 * Child process of the crash test: a notification worker against WORKER_DATABASE_URL, so the
 * parent can SIGKILL it while a delivery is in flight.
 */
import { testKysely } from '@recon/testkit';
import type { WorkspacesDatabase } from '@recon/workspaces';
import { startNotificationWorker } from '../../src/index';
import { LOCAL_RECEIVERS, SECRET_KEY } from './notifications-test-context';

const db = testKysely<WorkspacesDatabase>(process.env['WORKER_DATABASE_URL'] ?? '');
startNotificationWorker({
  db,
  secretKey: SECRET_KEY,
  outboundPolicy: LOCAL_RECEIVERS,
  options: { pollMs: 20, timeoutMs: 1_500, concurrency: 4, targetsTtlMs: 0 },
});
process.stdout.write('WORKER_READY\n');
