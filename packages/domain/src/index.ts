/**
 * @recon/domain: the pure heart of recon. Event schemas, streams, deciders and rules; no I/O.
 * A curated front door: what other packages use. Everything else stays inside (import it relative
 * from within the domain); test builders live behind `@recon/domain/testing`.
 */

// Events, commands and stream names
export { MessageDirection } from './events/primitives';
export { LeadEvent, ProviderCheckOutcome } from './events/lead-events';
export { AppointmentBooked, AppointmentEvent, AppointmentMatchKeys, MatchedBy } from './events/appointment-events';
export { WorkspaceEvent, WorkspaceRulesChanged } from './events/workspace-events';
export { parseReconEvent, ReconEvent } from './events/recon-event';
export { ObserveProviderAppointment } from './observation';
export {
  APPOINTMENT_STREAM_PREFIX,
  appointmentStreamName,
  LEAD_STREAM_PREFIX,
  leadStreamName,
  WORKSPACE_STREAM_PREFIX,
  workspaceStreamName,
} from './streams';
export {
  appointmentEventId,
  eventIdAt,
  eventIdsAt,
  followUpTaskId,
  reconEventId,
  streamOfEvent,
  withEventIds,
} from './event-ids';
export { compareInstants, instantMs, sameInstant } from './instants';

// Providers: names, registry, payload parsing and mapping
export * from './providers/index';

// Appointments
export {
  type AppointmentSnapshot,
  type AppointmentState,
  appointmentStateFromEvents,
  evolveAppointment,
  initialAppointmentState,
} from './appointments/appointment-state';
export { decideAppointment } from './appointments/decide-appointment';
export { decideLinkAppointment } from './appointments/link-appointment';
export {
  decideRecordAttendance,
  RecordAttendance,
  type RecordAttendanceError,
  type RecordAttendanceResult,
} from './appointments/record-attendance';
export { decideOutcomeUnknown } from './appointments/decide-outcome-unknown';
export {
  DEFAULT_RESCHEDULE_GRACE_MINUTES,
  decideRescheduleUnconfirmed,
  isRescheduleConfirmationDue,
} from './appointments/decide-reschedule-unconfirmed';

// Lead lifecycle and views
export {
  BOOKING_STATES,
  type BookingState,
  currentAppointment,
  forProvider,
  initialLeadLifecycle,
  type LeadLifecycle,
  type PerProvider,
} from './lead-lifecycle/lead-lifecycle-state';
export { bookingStateAt } from './lead-lifecycle/booking-state';
export { evolveLeadLifecycle, leadLifecycleFromEvents } from './lead-lifecycle/evolve-lead-lifecycle';
export { checkList, deriveLeadView, type EffectiveStatus } from './lead-lifecycle/lead-view';

// Verification grade and the events it rests on
export {
  checkedProviders,
  everyProviderAnsweredSince,
  LEAD_GRADES,
  leadGrade,
  type GradeFacts,
  type LeadGrade,
} from './grade/lead-grade';
export {
  evolveGradeEvidenceIds,
  gradeWithEvidence,
  initialGradeEvidenceIds,
  type GradeEvidenceIds,
  type GradeWithEvidence,
} from './grade/grade-evidence';
export { decideLabelReview, type ReviewLabel } from './grade/decide-label-review';

// Leads: checks, updates, messages, task resolutions
export { decideLeadCheck, type RecordLeadChecks } from './leads/decide-lead-check';
export { evolveLeadFeedState, initialLeadFeedState, type LeadFeedState } from './leads/lead-feed-state';
export {
  decideLeadUpdate,
  leadUpdateOutcome,
  type LeadUpdateOutcome,
  type UpdateLeadCommand,
} from './leads/decide-lead-update';
export { decideMessage, type RecordMessageCommand } from './leads/decide-message';
export {
  decideResolveTask,
  evolveTaskResolutions,
  initialTaskResolutions,
  type ResolveTaskCommand,
  type TaskResolutionsState,
} from './leads/resolve-task';
export {
  decideEraseLeadContact,
  type EraseLeadContactCommand,
  evolveLeadErasure,
  initialLeadErasure,
  type LeadErasureState,
} from './leads/erase-lead-contact';

// Mismatches, follow-up tasks, automation gate
export { DEFAULT_WORKSPACE_RULES, WorkspaceRules } from './mismatches/workspace-rules';
export {
  detectMismatches,
  MISMATCH_KINDS,
  type MismatchEvidence,
  type MismatchKind,
} from './mismatches/detect-mismatches';
export {
  DEFAULT_REVIEW_MAX_AGE_DAYS,
  FOLLOW_UP_TASK_KINDS,
  TASK_SEVERITIES,
  tasksForEvent,
} from './follow-up/tasks-for-event';
export { automationGate } from './follow-up/automation-gate';
export { evolveLeadTasks, type LeadTask, type TaskResolution, taskResolution } from './follow-up/lead-tasks';
