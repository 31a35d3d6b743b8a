/**
 * Per-workspace settings: which sentiment labels mean "booked", whether evidence auto-corrects
 * sentiment, the reconcile pace, and where notifications go (the notify secret is sealed).
 */
import { DEFAULT_RESCHEDULE_GRACE_MINUTES } from '@recon/domain';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { WorkspaceSettingsRow, WorkspacesDatabase } from './database';
import type { SecretBox } from './secret-box';
import type { ResealOutcome } from './reseal-outcome';

export const DEFAULT_BOOKED_SENTIMENT_LABELS: readonly string[] = ['Meeting Booked'];
export const DEFAULT_RECONCILE_INTERVAL_MINUTES = 60;
export const DEFAULT_LOST_DELIVERY_GRACE_MINUTES = 15;
export const DEFAULT_LABEL_VERIFICATION_SLA_HOURS = 24;

export const WorkspaceSettingsInput = z.strictObject({
  bookedSentimentLabels: z.array(z.string().min(1).max(100)).max(50).optional(),
  autoCorrectSentiment: z.boolean().optional(),
  reconcileIntervalMinutes: z.number().int().min(1).max(10_080).optional(),
  notifyUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional(),
  notifySecret: z.string().min(16).max(500).nullable().optional(),
  /** Minutes after a fact's provider update time before a webhook that never came counts as lost (0 allowed). */
  lostDeliveryGraceMinutes: z.number().int().min(0).max(10_080).optional(),
  /** Ended meetings without an attendance signal open an amber `meeting-outcome-unknown` task (default off). */
  attendanceReview: z.boolean().optional(),
  /** Hours a booked label may stay unverified before the scheduler checks it first and a review task opens. */
  labelVerificationSlaHours: z.number().int().min(1).max(8_760).optional(),
  /** Minutes after a reschedule before recon fetches a new booking it has not seen (0 allowed). */
  rescheduleGraceMinutes: z.number().int().min(0).max(10_080).optional(),
});
export type WorkspaceSettingsInput = z.infer<typeof WorkspaceSettingsInput>;

/** Settings as the API shows them: the notify secret only as "is set". */
export interface WorkspaceSettings {
  readonly bookedSentimentLabels: readonly string[];
  readonly autoCorrectSentiment: boolean;
  readonly reconcileIntervalMinutes: number;
  readonly notifyUrl: string | null;
  readonly hasNotifySecret: boolean;
  readonly lostDeliveryGraceMinutes: number;
  readonly attendanceReview: boolean;
  readonly labelVerificationSlaHours: number;
  readonly rescheduleGraceMinutes: number;
  readonly updatedAt: string | null;
}

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  bookedSentimentLabels: DEFAULT_BOOKED_SENTIMENT_LABELS,
  autoCorrectSentiment: true,
  reconcileIntervalMinutes: DEFAULT_RECONCILE_INTERVAL_MINUTES,
  notifyUrl: null,
  hasNotifySecret: false,
  lostDeliveryGraceMinutes: DEFAULT_LOST_DELIVERY_GRACE_MINUTES,
  attendanceReview: false,
  labelVerificationSlaHours: DEFAULT_LABEL_VERIFICATION_SLA_HOURS,
  rescheduleGraceMinutes: DEFAULT_RESCHEDULE_GRACE_MINUTES,
  updatedAt: null,
};

const notifyAad = (workspaceId: string) => `notify-secret:${workspaceId}`;

export function toWorkspaceSettings(row: WorkspaceSettingsRow): WorkspaceSettings {
  return {
    bookedSentimentLabels: row.booked_sentiment_labels,
    autoCorrectSentiment: row.auto_correct_sentiment,
    reconcileIntervalMinutes: row.reconcile_interval_minutes,
    notifyUrl: row.notify_url,
    hasNotifySecret: row.sealed_notify_secret !== null,
    lostDeliveryGraceMinutes: row.lost_delivery_grace_minutes,
    attendanceReview: row.attendance_review,
    labelVerificationSlaHours: row.label_verification_sla_hours,
    rescheduleGraceMinutes: row.reschedule_grace_minutes,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** PUT semantics: the whole settings document; omitted fields take their defaults. */
export async function putWorkspaceSettings(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  input: { workspaceId: string; settings: WorkspaceSettingsInput; now: Date },
): Promise<WorkspaceSettings> {
  const s = input.settings;
  const values = {
    workspace_id: input.workspaceId,
    booked_sentiment_labels: JSON.stringify(s.bookedSentimentLabels ?? DEFAULT_BOOKED_SENTIMENT_LABELS),
    auto_correct_sentiment: s.autoCorrectSentiment ?? true,
    reconcile_interval_minutes: s.reconcileIntervalMinutes ?? DEFAULT_RECONCILE_INTERVAL_MINUTES,
    notify_url: s.notifyUrl ?? null,
    sealed_notify_secret: s.notifySecret == null ? null : box.seal(s.notifySecret, notifyAad(input.workspaceId)),
    updated_at: input.now,
    lost_delivery_grace_minutes: s.lostDeliveryGraceMinutes ?? DEFAULT_LOST_DELIVERY_GRACE_MINUTES,
    attendance_review: s.attendanceReview ?? false,
    label_verification_sla_hours: s.labelVerificationSlaHours ?? DEFAULT_LABEL_VERIFICATION_SLA_HOURS,
    reschedule_grace_minutes: s.rescheduleGraceMinutes ?? DEFAULT_RESCHEDULE_GRACE_MINUTES,
  };
  const row = await db
    .insertInto('workspace_settings')
    .values(values)
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ...values }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWorkspaceSettings(row);
}

export async function getWorkspaceSettings(
  db: Kysely<WorkspacesDatabase>,
  workspaceId: string,
): Promise<WorkspaceSettings> {
  const row = await db
    .selectFrom('workspace_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row === undefined ? DEFAULT_SETTINGS : toWorkspaceSettings(row);
}

/** The decrypted notify secret for the outbound notifier, or null when unset or unreadable. */
export async function getNotifySecret(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('workspace_settings')
    .select('sealed_notify_secret')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (row?.sealed_notify_secret == null) return null;
  const opened = box.open(row.sealed_notify_secret, notifyAad(workspaceId));
  return opened.ok ? opened.value : null;
}

/**
 * Re-seals a workspace's notify secret under the current key if the previous key sealed it, in its
 * own transaction with the row locked. Idempotent; no secret → 'gone'.
 */
export async function resealNotifySecret(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
): Promise<ResealOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('workspace_settings')
      .select('sealed_notify_secret')
      .where('workspace_id', '=', workspaceId)
      .forUpdate()
      .executeTakeFirst();
    if (row?.sealed_notify_secret == null) return 'gone';
    const opened = box.open(row.sealed_notify_secret, notifyAad(workspaceId));
    if (!opened.ok) return 'unreadable';
    if (opened.sealedUnder === 'current') return 'current';
    await trx
      .updateTable('workspace_settings')
      .set({ sealed_notify_secret: box.seal(opened.value, notifyAad(workspaceId)) })
      .where('workspace_id', '=', workspaceId)
      .execute();
    return 'resealed';
  });
}
