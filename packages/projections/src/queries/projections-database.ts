/**
 * What readers see: one kysely `Database` interface over the public views of every projection's
 * live generation (plus the runtime tables the status and the dispatcher read).
 */
import type {
  AppointmentHistoryTable,
  AppointmentsTable,
  AutomationGatesTable,
  FollowUpTasksTable,
  LeadLifecycleTable,
  LeadProviderChecksTable,
  LeadStateDaysTable,
  MismatchesTable,
  WorkspaceStatsTable,
} from '../core/core-tables';
import type { LeadIdentitiesTable, UnmatchedAppointmentKeysTable } from '../identities/identity-tables';

export interface ProjectionsDatabase {
  lead_lifecycle: LeadLifecycleTable;
  lead_provider_checks: LeadProviderChecksTable;
  appointments: AppointmentsTable;
  appointment_history: AppointmentHistoryTable;
  mismatches: MismatchesTable;
  follow_up_tasks: FollowUpTasksTable;
  automation_gates: AutomationGatesTable;
  workspace_stats: WorkspaceStatsTable;
  lead_state_days: LeadStateDaysTable;
  lead_identities: LeadIdentitiesTable;
  unmatched_appointment_keys: UnmatchedAppointmentKeysTable;
}
