/** Scheduling reconciliation: lead selection, workspace leases, ticks, the in-process scheduler. */
export { runReconcileTick, type TickOptions, type TickSummary } from './run-reconcile-tick';
export { startScheduler, type SchedulerOptions, type SchedulerHandle } from './start-scheduler';
export { selectDueLeads, countDueLeads, type DueLeadsQuery } from './select-due-leads';
export { acquireWorkspaceLease, renewWorkspaceLease, releaseWorkspaceLease } from './workspace-lease';
