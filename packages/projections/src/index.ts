/** @recon/projections: read models built from the event store, checkpointed and rebuildable. */
export { migrateProjections } from './migrate-projections';
export { startProjections, type ProjectionsHandle, type StartProjectionsDeps } from './start-projections';
export { rebuildProjections, type RebuildDeps } from './rebuild-projections';
export type { RebuildOptions, RebuildProgress, RebuildResult } from './runtime/rebuild';
export { ALL_PROJECTIONS } from './all-projections';
export { READ_MODEL_TABLES, type ReadModelTable } from './read-model-tables';
export type { BatchSideEffect, ProjectionChange, ProjectedEvent, ProjectionMode } from './runtime/projection';
export type { RunnerLog, RunnerOptions, RunnerState } from './runtime/projection-runner';
export { projectionStatus, type ProjectionStatus } from './runtime/projection-status';
export { projectionsWithRunner } from './runtime/runner-locks';
export { waitForPosition, type WaitResult } from './runtime/wait-for-position';
export { listDeadLetters, type DeadLetter } from './runtime/dead-letters';
export { pruneDeadLetters } from './runtime/prune-dead-letters';
export {
  dispatchLinkRequests,
  linkAppointmentToLead,
  type AppointmentLink,
  type LinkAppointmentOutcome,
} from './identities/link-dispatcher';
export { AppointmentMatchKeys } from './identities/match-keys';
export type { ProjectionsDatabase } from './queries/projections-database';
export type * from './core/core-tables';
export type * from './identities/identity-tables';
export { effectiveLeadState, effectiveGate, type Gate } from './queries/effective-state';
export { encodeCursor, decodeCursor, MAX_PAGE, type Page, type PageResult } from './queries/cursor';
export { getLead, listLeadsByState, toLeadSummary, type LeadDetail, type LeadSummary } from './queries/lead-queries';
export { asOfEvaluatedAt, foldLeadAsOf, getLeadAsOf, type LeadAsOfInput } from './queries/lead-as-of';
export { searchLeads, SEARCH_LIMIT, type LeadSearch } from './queries/search-leads';
export {
  listMismatches,
  mismatchPageJson,
  toMismatchItem,
  type MismatchItem,
  type MismatchQuery,
} from './queries/mismatch-queries';
export { listTasks, getTask, toTaskItem, type TaskItem } from './queries/task-queries';
export { gatesJson, getGate, getGates, UNKNOWN_LEAD_GATE } from './queries/gate-queries';
export { PREPARED, withNamedStatements } from './queries/named-statements';
export { getStats, lastProviderCheckAt, type WorkspaceStats } from './queries/stats-queries';
export { getDailyStats, type DailyStatsDay } from './queries/daily-stats-queries';
export {
  ANALYTICS_GROUP_BY,
  attendance,
  labelPrecisionGroups,
  rescheduleChains,
  type AnalyticsGroupBy,
  type AnalyticsWindow,
  type Attendance,
  type LabelPrecisionGroup,
  type RescheduleChains,
} from './queries/analytics-queries';
export {
  getLeadAppointments,
  listUnmatchedAppointments,
  toAppointmentItem,
  toHistoryItem,
  type AppointmentItem,
  type AppointmentHistoryItem,
} from './queries/appointment-queries';
export { findLeadByIdentity, type IdentityMatch } from './queries/identity-queries';
export { isLeadKnown } from './queries/lead-known';
export { findErasureTargets, type ErasureTarget } from './queries/erasure-targets';
export { countOpenTasks } from './queries/open-task-count';
