/** Resumable backfills: jobs, the runner (CLI and routes), resumption after a crash. */
export { runBackfill, type RunBackfillOptions, type RunBackfillResult } from './run-backfill';
export { resumeBackfills } from './resume-backfills';
export { backfillRoutes, BackfillBody, type BackfillRoutesDeps } from './backfill-routes';
export { createBackfillJob, getBackfillJob, cancelBackfillJob, type BackfillStatus, type BackfillProvider, type BackfillCursor } from './backfill-jobs';
export { toBackfillView, type BackfillView } from './backfill-view';
export { findUnfinishedBackfillJob } from './unfinished-backfill-job';
