/**
 * The reconciler for one lead: ask each configured provider of the registry (each module knows
 * what to ask with: GHL the contact id, Calendly the lead's emails), decide and append every
 * appointment observation through the shared command handler, then append the `LeadProviderChecked` watermark per provider asked. A failed check is
 * recorded as failed and proves nothing: the lead fold only turns `not_booked` on a successful
 * check, and appointments already seen stay as they are. Afterwards the lead is folded from the
 * store to answer with its new state, the scheduler's memory is updated, and the notification hook
 * hears about a changed booking state (flagged as an auto-correction when evidence overrode the
 * sentiment under autoCorrectSentiment).
 */
import {
  appointmentStreamName,
  bookingStateAt,
  currentAppointment,
  decideLabelReview,
  deriveLeadView,
  detectMismatches,
  initialAppointmentState,
  leadStreamName,
  withEventIds,
  type AppointmentState,
  type BookingState,
  type EffectiveStatus,
  type Provider,
  type ProviderCheckOutcome,
  type RecordLeadChecks,
} from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { appointmentDecider } from '../appointments/appointment-decider';
import { observeAppointment } from '../appointments/observe-appointment';
import { type StoreFailureCode, handleCommand } from '../handle-command';
import type { LeadFacts } from '../providers/provider-module';
import { providerNames } from '../providers/registry';
import { type FoldedLead, foldAppended, foldLead } from './fold-lead';
import { leadCheckDecider } from './lead-check-decider';
import { leadFoldCache } from './lead-fold-cache';
import { getLeadInputs, leadScheduleWriter, type LeadInputs, type LeadScheduleWriter } from './lead-schedule';
import type { CheckContext, CheckOutcome, ProviderCheckResult } from './provider-check';
import type { ReconcileDeps } from './reconcile-deps';
import { reconcileDb, type KnownAppointment } from './reconcile-tables';
import { workspaceProviders } from './workspace-providers';

export interface ReconcileLeadInput {
  readonly workspaceId: string;
  readonly leadId: string;
  /** poller (scheduler, cron), manual (check now) or backfill. */
  readonly source: CheckContext['source'];
  /** Only these providers (default: every configured one). */
  readonly providers?: readonly Provider[];
  readonly range?: CheckContext['range'];
  /** Watermark time; default the clock. Backfills pass the job's start so a resumed job repeats ids. */
  readonly checkedAt?: Date;
  /** The lead's inputs when the caller read them already (a tick reads its whole batch in one query). */
  readonly inputs?: LeadInputs;
  /** The lead's linked appointments when the caller looked them up already (with the batch's inputs). */
  readonly linked?: readonly KnownAppointment[];
  /**
   * The lead folded ahead (prefoldLead over the same `inputs` and `linked`): used instead of reading.
   * A lead event appended since is caught by the append's expected revision (the check then reads).
   */
  readonly fold?: FoldedLead;
  /**
   * Called once every provider has answered, before the writes: a tick starts its next lead's
   * provider calls then, so the paced calls never wait for this lead's appends.
   */
  readonly onAsked?: () => void;
  /** Where the scheduler row goes (a tick's lingering writer); default the process-wide one that writes at once. */
  readonly scheduleWriter?: LeadScheduleWriter;
}

export interface LeadCheckSummary {
  readonly provider: Provider;
  readonly outcome: CheckOutcome;
}

export interface ReconciledLead {
  readonly leadId: string;
  readonly eventsAppended: number;
  readonly checks: readonly LeadCheckSummary[];
  readonly bookingState: BookingState;
  readonly assumed: boolean;
  readonly effective: EffectiveStatus;
  readonly position: Position | null;
}

export type ReconcileLeadResult =
  | { readonly ok: true; readonly value: ReconciledLead }
  | { readonly ok: false; readonly code: 'LEAD_NOT_FOUND' | StoreFailureCode | 'CONCURRENCY_CONFLICT' };

function failedOutcomes(checks: readonly ProviderCheckResult[]): ProviderCheckOutcome[] {
  return checks
    .map((c) => c.outcome)
    .filter((o): o is Extract<ProviderCheckOutcome, { kind: 'failed' }> => o.kind === 'failed');
}

/** The appointments a check folds into the lead: what earlier checks found plus every linked one. */
export function knownAppointmentsOf(inputs: LeadInputs, linked: readonly KnownAppointment[]): KnownAppointment[] {
  return unionAppointments(inputs.schedule?.knownAppointments ?? [], linked);
}

/**
 * Folds a lead ahead of its check (a tick does it for the next chunk of leads, off the path of the
 * paced provider calls), continuing from the process's snapshot. Pass the result as `fold` together
 * with the same `inputs` and `linked`.
 */
export function prefoldLead(
  deps: Pick<ReconcileDeps, 'store'>,
  workspaceId: string,
  leadId: string,
  known: readonly KnownAppointment[],
): Promise<FoldedLead> {
  return foldLead(
    deps.store,
    workspaceId,
    leadId,
    known,
    leadFoldCache(deps.store).get(leadStreamName(workspaceId, leadId)),
  );
}

function unionAppointments(...lists: (readonly KnownAppointment[])[]): KnownAppointment[] {
  const out = new Map<string, KnownAppointment>();
  for (const list of lists)
    for (const k of list) if (!out.has(`${k.provider}:${k.id}`)) out.set(`${k.provider}:${k.id}`, k);
  return [...out.values()];
}

/** Records which known appointments a check found missing (a check that failed, or keeps no marks, changes none). */
function withMissingMarks(
  known: readonly KnownAppointment[],
  checks: readonly ProviderCheckResult[],
): KnownAppointment[] {
  return known.map((k) => {
    const missing = checks.find((c) => c.provider === k.provider)?.missing;
    if (missing === undefined) return k;
    const since = missing.get(k.id);
    return since === undefined
      ? { provider: k.provider, id: k.id }
      : { provider: k.provider, id: k.id, missingSince: since };
  });
}

export async function reconcileLead(deps: ReconcileDeps, input: ReconcileLeadInput): Promise<ReconcileLeadResult> {
  const { workspaceId, leadId } = input;
  const db = reconcileDb(deps.db);
  const now = deps.clock();
  const checkedAt = (input.checkedAt ?? now).toISOString();
  const [providers, { contact, schedule }] = await Promise.all([
    workspaceProviders(deps, workspaceId),
    input.inputs ?? getLeadInputs(db, workspaceId, leadId),
  ]);
  // One fold of the lead everywhere: what earlier checks found plus every appointment linked to
  // the lead however it was matched (webhook email, guest or UTM, identities link, operator link).
  let linked: readonly KnownAppointment[];
  try {
    linked = input.linked ?? (await deps.leadLookup.linkedAppointments?.(workspaceId, leadId)) ?? [];
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  const known = unionAppointments(schedule?.knownAppointments ?? [], linked);
  // Continue the fold from this process's last snapshot of the lead: only newer events are read.
  const folds = leadFoldCache(deps.store);
  const foldKey = leadStreamName(workspaceId, leadId);
  let before: FoldedLead;
  try {
    before =
      input.fold !== undefined && input.linked !== undefined && input.inputs !== undefined
        ? input.fold
        : await foldLead(deps.store, workspaceId, leadId, known, folds.get(foldKey));
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  if (!before.exists) return { ok: false, code: 'LEAD_NOT_FOUND' };
  folds.set(foldKey, before.snapshot);
  const wanted = (p: Provider) => input.providers === undefined || input.providers.includes(p);
  const ctx: CheckContext = {
    workspaceId,
    leadId,
    source: input.source,
    observedAt: now.toISOString(),
    ...(input.range ? { range: input.range } : {}),
  };

  const appointmentState = (provider: Provider) => async (id: string) => {
    let state: AppointmentState = initialAppointmentState();
    for (const e of await deps.store.readStream(appointmentStreamName(workspaceId, provider, id)))
      state = appointmentDecider.evolve(state, e);
    return state;
  };
  const ambiguous = async (emailHash: string) => {
    try {
      const match = await deps.leadLookup.findByEmailHash?.(workspaceId, emailHash);
      return match !== null && match !== undefined && 'ambiguous' in match;
    } catch {
      return false; // the lookup's store is down: the appends that follow answer for it
    }
  };
  const factsFor = (provider: Provider): LeadFacts => ({
    ghlContactId: before.lifecycle.contact.ghlContactId,
    email: contact?.email ?? null,
    alternateEmails: contact?.alternateEmails ?? [],
    known: known.filter((k) => k.provider === provider),
    appointmentState: appointmentState(provider),
    ambiguous,
    hashEmail: deps.hashEmail,
    utmLeadIds: (tokens) => deps.bookingTokens.leadIds(workspaceId, provider, tokens),
  });
  // Every provider of the registry, in its order: connected ones are asked, unusable ones fail.
  const pending: Promise<ProviderCheckResult>[] = [];
  for (const provider of providerNames) {
    if (!wanted(provider)) continue;
    const connection = providers.connections[provider];
    const unusable = providers.unusable[provider];
    if (connection) pending.push(connection.checkLead(ctx, factsFor(provider)));
    else if (unusable !== undefined)
      pending.push(Promise.resolve({ provider, outcome: { kind: 'failed', code: unusable }, observations: [] }));
  }
  const checks = await Promise.all(pending).finally(() => input.onAsked?.());

  let eventsAppended = 0;
  let position: Position | null = null;
  let lifecycle = before.lifecycle;
  const found = new Map<string, KnownAppointment>();
  for (const k of known) found.set(`${k.provider}:${k.id}`, k);
  for (const check of checks) {
    for (const obs of check.observations) {
      const o = obs.observation;
      const key = `${o.provider}:${o.providerAppointmentId}`;
      // An appointment recon has never seen for this lead is most likely a new stream: append
      // without reading first (a stream that exists after all refuses it, then the read path runs).
      const r = await observeAppointment(deps.store, obs, { assumeNewStream: !found.has(key) });
      if (!r.ok) return { ok: false, code: r.code };
      eventsAppended += r.appended.length;
      if (r.appended.length > 0) position = r.position;
      if (o.leadId === leadId && !found.has(key) && r.stateBefore.status === 'absent') {
        // A brand-new stream: what was just appended is all of it.
        found.set(key, { provider: o.provider, id: o.providerAppointmentId });
        lifecycle = foldAppended(lifecycle, leadId, r.appended);
      } else if (o.leadId === leadId && !found.has(key)) {
        found.set(key, { provider: o.provider, id: o.providerAppointmentId });
        // An appointment new to this fold: take its whole stream (it may predate this check).
        try {
          lifecycle = (await foldLead(deps.store, workspaceId, leadId, [...found.values()], before.snapshot)).lifecycle;
        } catch {
          return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
        }
      } else {
        lifecycle = foldAppended(lifecycle, leadId, r.appended);
      }
    }
  }
  const asked = checks.flatMap((c) =>
    c.outcome.kind === 'skipped' ? [] : [{ provider: c.provider, outcome: c.outcome as ProviderCheckOutcome }],
  );
  if (asked.length > 0) {
    const range =
      input.range?.from !== undefined || input.range?.to !== undefined
        ? { from: input.range.from ?? null, to: input.range.to ?? null }
        : null;
    const command: RecordLeadChecks = {
      type: 'RecordLeadChecks',
      workspaceId,
      leadId,
      checkedAt,
      checks: asked,
      range,
      onlyWhenChanged: input.source === 'backfill',
    };
    const stream = leadStreamName(workspaceId, leadId);
    // Fast path: append with the revision read at the start; a concurrent lead write sends us
    // through the command handler's read-decide-append loop instead.
    const events = leadCheckDecider.decide(command, before.lifecycle, before.leadRevision);
    let appended: readonly { type: string; data: Record<string, unknown> }[] = [];
    // The lead stream's revision after the checks, when known (the fast path): the label review appends at it.
    let revisionAfter: bigint | null | undefined = events.length === 0 ? before.leadRevision : undefined;
    if (events.length > 0) {
      let fast: Awaited<ReturnType<typeof deps.store.append>> | null = null;
      try {
        fast = await deps.store.append(stream, events, { expectedRevision: before.leadRevision ?? 'no_stream' });
      } catch {
        return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
      }
      if (fast.ok) {
        appended = events;
        position = fast.position;
        revisionAfter = fast.nextExpectedRevision;
      } else {
        const r = await handleCommand(deps.store, stream, leadCheckDecider, command);
        if (!r.ok) return { ok: false, code: r.code };
        appended = r.appended;
        if (r.appended.length > 0) position = r.position;
      }
    }
    eventsAppended += appended.length;
    lifecycle = foldAppended(lifecycle, leadId, appended);
    // A booked label still unverified past the SLA after this full round: one review event per label.
    // Decided on the whole fold (appointments included); at an unknown revision it waits for the next round.
    const review =
      range === null && revisionAfter !== undefined
        ? decideLabelReview(lifecycle, {
            rules: providers.rules,
            slaHours: providers.labelVerificationSlaHours,
            checkedAt,
          })
        : [];
    if (review.length > 0 && revisionAfter !== undefined) {
      const withIds = withEventIds(stream, revisionAfter, review).map(({ id, event }) => ({
        id,
        type: event.type,
        data: event.data,
      }));
      try {
        const r = await deps.store.append(stream, withIds, { expectedRevision: revisionAfter ?? 'no_stream' });
        if (r.ok) {
          eventsAppended += review.length;
          position = r.position;
          lifecycle = foldAppended(lifecycle, leadId, withIds);
        }
      } catch {
        return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
      }
    }
  }

  const knownAppointments = withMissingMarks([...found.values()], checks);
  const after = { lifecycle };
  const view = deriveLeadView(after.lifecycle, now.toISOString(), providers.rules);
  const stateAt = bookingStateAt(after.lifecycle, now.toISOString());
  const success = failedOutcomes(checks).length === 0;
  await (input.scheduleWriter ?? leadScheduleWriter(db)).write({
    workspaceId,
    leadId,
    at: now,
    success,
    bookingState: after.lifecycle.bookingState,
    currentEndAt: currentAppointment(after.lifecycle)?.endAt ?? null,
    knownAppointments,
  });
  const previous = (schedule?.bookingState ?? before.lifecycle.bookingState) as BookingState;
  if (deps.notify && previous !== after.lifecycle.bookingState) {
    const mismatch = detectMismatches(after.lifecycle, providers.rules, now.toISOString())[0] ?? null;
    const corrected = mismatch !== null && providers.rules.autoCorrectSentiment;
    try {
      await deps.notify({
        kind: corrected ? 'sentiment-auto-corrected' : 'booking-state-changed',
        workspaceId,
        leadId,
        bookingStateBefore: previous,
        bookingState: after.lifecycle.bookingState,
        mismatch: mismatch?.kind ?? null,
        effectiveBooked: view.effective.booked,
        at: now.toISOString(),
      });
    } catch {
      // The hook must not break reconciliation; the outbox retries from the projection anyway.
    }
  }
  return {
    ok: true,
    value: {
      leadId,
      eventsAppended,
      checks: checks.map((c) => ({ provider: c.provider, outcome: c.outcome })),
      bookingState: stateAt.bookingState,
      assumed: stateAt.assumed,
      effective: view.effective,
      position,
    },
  };
}
