/**
 * The scenario builder of every package's integration and end-to-end tests: decides appointment
 * observations with the domain's own decider, keeping each appointment stream's state as ingest
 * would, and builds lead events with defaults, so a test states only what matters to it.
 *
 * Pure: every default instant comes from the options (fixed instants by default, or functions a
 * test passes in, e.g. "a minute from now"). Appending to a store is the caller's:
 * `@recon/testkit`'s `appendEvents` takes these events (and `placed` ones) as they are.
 */
import type { AppointmentEvent } from '../events/appointment-events';
import type { LeadEvent, ProviderCheckOutcome } from '../events/lead-events';
import type { Provider } from '../events/primitives';
import type { ObserveProviderAppointment } from '../observation';
import {
  appointmentStateFromEvents,
  evolveAppointment,
  type AppointmentState,
} from '../appointments/appointment-state';
import { decideAppointment } from '../appointments/decide-appointment';

/** The default instant of every fixture event: observations, registrations, sentiments, checks. */
export const SCENARIO_T0 = '2030-06-01T10:00:00.000Z';
/** The default meeting of an appointment first observed without times. */
export const SCENARIO_MEETING = { startAt: '2030-06-18T15:00:00.000Z', endAt: '2030-06-18T15:30:00.000Z' } as const;

export interface ScenarioOptions {
  /** Default `observedAt` of observations and instant of lead events (default: `SCENARIO_T0`). */
  readonly now?: () => string;
  /** Default `registeredAt` of `registered` (default: `now`). */
  readonly registeredAt?: () => string;
  /**
   * Times of an appointment at its first observation (default: `SCENARIO_MEETING`). They are fixed
   * then: a later observation moves the meeting only when it says so (moved times are evidence).
   */
  readonly meeting?: () => { readonly startAt: string; readonly endAt: string };
}

/** What an observation names; everything else has a default. */
export type ScenarioObservation = Partial<ObserveProviderAppointment> & { readonly providerAppointmentId: string };

/** An appointment event with the revision it takes in its stream (for its id). */
export interface PlacedEvent {
  readonly event: AppointmentEvent;
  readonly revision: number;
}

export interface LeadContact {
  readonly emailHash?: string | null;
  readonly alternateEmailHashes?: string[];
  readonly ghlContactId?: string | null;
}

export class Scenario {
  private readonly states = new Map<string, AppointmentState>();
  private readonly times = new Map<string, { readonly startAt: string; readonly endAt: string }>();
  private readonly now: () => string;
  private readonly registeredAtDefault: () => string;
  private readonly meeting: () => { readonly startAt: string; readonly endAt: string };

  constructor(
    readonly workspaceId: string,
    options: ScenarioOptions = {},
  ) {
    this.now = options.now ?? (() => SCENARIO_T0);
    this.registeredAtDefault = options.registeredAt ?? this.now;
    this.meeting = options.meeting ?? (() => SCENARIO_MEETING);
  }

  /** Decides one observation against its appointment stream's state; returns the events decided. */
  observe(o: ScenarioObservation): AppointmentEvent[] {
    return this.observePlaced(o).map((p) => p.event);
  }

  /** As `observe`, with the revision each event takes in its stream (ids as ingest gives them). */
  observePlaced(o: ScenarioObservation): PlacedEvent[] {
    const key = `${o.provider ?? 'ghl'}|${o.providerAppointmentId}`;
    const times = this.times.get(key) ?? this.meeting();
    this.times.set(key, times);
    const cmd: ObserveProviderAppointment = {
      type: 'ObserveProviderAppointment',
      workspaceId: this.workspaceId,
      leadId: null,
      provider: 'ghl',
      calendlyEventUri: null,
      status: 'scheduled',
      startAt: times.startAt,
      endAt: times.endAt,
      providerUpdatedAt: null,
      rescheduledFrom: null,
      rescheduledTo: null,
      canceledBy: null,
      deleted: false,
      source: 'webhook',
      observedAt: this.now(),
      ...o,
    };
    const state = this.states.get(key) ?? appointmentStateFromEvents([]);
    const events = decideAppointment(cmd, state);
    this.states.set(key, events.reduce(evolveAppointment, state));
    return events.map((event, i) => ({ event, revision: state.version + i }));
  }

  registered(leadId: string, contact: LeadContact = {}, registeredAt = this.registeredAtDefault()): LeadEvent {
    return {
      type: 'LeadRegistered',
      data: {
        workspaceId: this.workspaceId,
        leadId,
        emailHash: contact.emailHash ?? null,
        alternateEmailHashes: contact.alternateEmailHashes ?? [],
        ghlContactId: contact.ghlContactId ?? null,
        registeredAt,
      },
    };
  }

  sentiment(leadId: string, label = 'Meeting Booked', classifiedAt = this.now()): LeadEvent {
    return { type: 'LeadSentimentClassified', data: { workspaceId: this.workspaceId, leadId, label, classifiedAt } };
  }

  checked(leadId: string, provider: Provider, outcome: ProviderCheckOutcome, checkedAt = this.now()): LeadEvent {
    return {
      type: 'LeadProviderChecked',
      data: { workspaceId: this.workspaceId, leadId, provider, outcome, checkedAt },
    };
  }

  resolved(leadId: string, taskId: string, resolvedAt = this.now(), note: string | null = null): LeadEvent {
    return {
      type: 'FollowUpTaskResolved',
      data: { workspaceId: this.workspaceId, leadId, taskId, resolvedBy: 'admin', note, resolvedAt },
    };
  }
}
