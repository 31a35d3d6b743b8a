/**
 * Which retention tasks a process runs, by its roles: each table is pruned by the role that owns
 * it — the scheduler role runs the notification worker (the outbox) and resumes backfills (backfill
 * jobs), the projections role writes dead letters.
 */
import { pruneBackfillJobs } from '@recon/ingest';
import { pruneNotificationOutbox } from '@recon/notifications';
import { pruneDeadLetters } from '@recon/projections';
import type { Kysely } from 'kysely';
import type { Role } from '../runtime/roles';
import type { RetentionTask } from './retention-loop';

export function retentionTasksFor(roles: ReadonlySet<Role>, db: Kysely<unknown>): RetentionTask[] {
  const tasks: RetentionTask[] = [];
  if (roles.has('scheduler')) {
    tasks.push({ name: 'notification_outbox', prune: (before) => pruneNotificationOutbox(db, { before }) });
    tasks.push({ name: 'backfill_jobs', prune: (before) => pruneBackfillJobs(db, { before }) });
  }
  if (roles.has('projections'))
    tasks.push({ name: 'projection_dead_letters', prune: (before) => pruneDeadLetters(db, { before }) });
  return tasks;
}
