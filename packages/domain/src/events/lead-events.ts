/**
 * Events of a lead's stream (`lead-…`): what the CRM told us about the lead, what our provider
 * checks found, and what operators did with its review tasks.
 */
import { z } from 'zod';
import { EmailHash, Instant, LeadId, MessageDirection, Provider, WorkspaceId } from './primitives';

const leadRef = { workspaceId: WorkspaceId, leadId: LeadId };

export const LeadRegistered = z.object({
  type: z.literal('LeadRegistered'),
  data: z.object({
    ...leadRef,
    emailHash: EmailHash.nullable(),
    alternateEmailHashes: z.array(EmailHash),
    ghlContactId: z.string().min(1).max(100).nullable(),
    registeredAt: Instant,
  }),
});
export type LeadRegistered = z.infer<typeof LeadRegistered>;

export const LeadContactChanged = z.object({
  type: z.literal('LeadContactChanged'),
  data: z.object({
    ...leadRef,
    emailHash: EmailHash.nullable(),
    alternateEmailHashes: z.array(EmailHash),
    ghlContactId: z.string().min(1).max(100).nullable(),
    changedAt: Instant,
  }),
});
export type LeadContactChanged = z.infer<typeof LeadContactChanged>;

export const LeadSentimentClassified = z.object({
  type: z.literal('LeadSentimentClassified'),
  data: z.object({
    ...leadRef,
    /** The CRM's free-text tag ("Meeting Booked", "Interested", …): a label, not a message. */
    label: z.string().min(1).max(100),
    classifiedAt: Instant,
  }),
});
export type LeadSentimentClassified = z.infer<typeof LeadSentimentClassified>;

export const LeadInboundActivityRecorded = z.object({
  type: z.literal('LeadInboundActivityRecorded'),
  data: z.object({
    ...leadRef,
    /** Time of the latest inbound message known, or null when none yet. */
    lastInboundAt: Instant.nullable(),
    lastMessageDirection: MessageDirection,
    recordedAt: Instant,
    /**
     * Time of the newest message recorded, inbound or outbound (what `lastMessageDirection` is
     * the direction of). Optional: earlier events carry it in their metadata.
     */
    messageAt: Instant.optional(),
  }),
});
export type LeadInboundActivityRecorded = z.infer<typeof LeadInboundActivityRecorded>;

export const ProviderCheckOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('found'), count: z.number().int().min(1) }),
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('failed'), code: z.string().regex(/^[A-Z][A-Z0-9_]*$/) }),
]);
export type ProviderCheckOutcome = z.infer<typeof ProviderCheckOutcome>;

export const LeadProviderChecked = z.object({
  type: z.literal('LeadProviderChecked'),
  data: z.object({
    ...leadRef,
    provider: Provider,
    outcome: ProviderCheckOutcome,
    /** The reconciliation watermark: provider facts up to this instant are reflected. */
    checkedAt: Instant,
    /**
     * Set when the check looked only at meetings starting in a range (a date-range backfill): it
     * records what it saw there, is no watermark and never proves "no meeting" (absent: a full check).
     */
    range: z.object({ from: Instant.nullable(), to: Instant.nullable() }).optional(),
  }),
});
export type LeadProviderChecked = z.infer<typeof LeadProviderChecked>;

/**
 * A booked sentiment label stayed unverified past the workspace's SLA: a full check of every
 * provider checked for the lead, all successful and all after the label, found no live
 * appointment (the lead's grade is `contradicted`). Appended once per label by the reconciler;
 * it opens the amber `label-unverified` review task.
 */
export const LeadBookedLabelUnverified = z.object({
  type: z.literal('LeadBookedLabelUnverified'),
  data: z.object({
    ...leadRef,
    label: z.string().min(1).max(100),
    labelClassifiedAt: Instant,
    /** The providers whose successful checks after the label found nothing live (registry order). */
    providers: z.array(Provider).min(1),
    /** The check that found the label still unverified past the SLA. */
    checkedAt: Instant,
    slaHours: z.number().int().min(1),
  }),
});
export type LeadBookedLabelUnverified = z.infer<typeof LeadBookedLabelUnverified>;

export const FollowUpTaskKind = z.enum([
  'meeting-canceled',
  'meeting-rescheduled',
  'meeting-no-show',
  'meeting-outcome-unknown',
  'label-unverified',
  'meeting-reschedule-unconfirmed',
]);
export type FollowUpTaskKind = z.infer<typeof FollowUpTaskKind>;

export const FollowUpTaskResolved = z.object({
  type: z.literal('FollowUpTaskResolved'),
  data: z.object({
    ...leadRef,
    taskId: z.string().min(1).max(200),
    /** Operator key id or `admin`: who resolved it, never a person's name. */
    resolvedBy: z.string().min(1).max(100),
    /** Operator's note on the review (not lead data); bounded. */
    note: z.string().max(2000).nullable(),
    resolvedAt: Instant,
  }),
});
export type FollowUpTaskResolved = z.infer<typeof FollowUpTaskResolved>;

/**
 * The person asked to be erased (`DELETE …/leads/:leadId/contact`): from here on the lead carries
 * no contact identifiers (email hashes, GHL contact id) and its operator notes are blanked in the
 * read models; its verified state and appointment history stay. A later `LeadContactChanged` may
 * set new identifiers. The earlier events' person fields were sealed under the lead's stream key,
 * which the erasure destroys: they read empty from then on (docs/security.md, "Erasure").
 */
export const LeadContactErased = z.object({
  type: z.literal('LeadContactErased'),
  data: z.object({ ...leadRef, erasedAt: Instant }),
});
export type LeadContactErased = z.infer<typeof LeadContactErased>;

export const LeadEvent = z.discriminatedUnion('type', [
  LeadRegistered,
  LeadContactChanged,
  LeadSentimentClassified,
  LeadInboundActivityRecorded,
  LeadProviderChecked,
  FollowUpTaskResolved,
  LeadContactErased,
  LeadBookedLabelUnverified,
]);
export type LeadEvent = z.infer<typeof LeadEvent>;
