/**
 * The shapes of `recon demo`'s generated world: the CRM's leads (sentiment, message activity),
 * what happened at the providers (bookings and what became of them, which webhooks were lost),
 * and what happens after the first reconciliation. Times are the CRM's and the providers' own
 * (spread over the past two weeks); what recon observes is stamped by recon's clock.
 */
import type { DemoPerson } from './demo-people';

export type DemoProvider = 'calendly' | 'ghl';

export interface DemoMessage {
  readonly direction: 'inbound' | 'outbound';
  readonly atMs: number;
}

export interface DemoLead extends DemoPerson {
  readonly leadId: string;
  readonly sentiment: { readonly label: string; readonly classifiedAtMs: number } | null;
  /** Message activity the CRM reports (times and directions only), oldest first. */
  readonly messages: readonly DemoMessage[];
}

/** What became of a booking after it was made (each change's webhook may be lost). */
export type DemoChange =
  | { readonly kind: 'cancel'; readonly atMs: number; readonly webhookLost: boolean }
  | { readonly kind: 'reschedule'; readonly atMs: number; readonly newStartMs: number; readonly webhookLost: boolean }
  | { readonly kind: 'no_show'; readonly atMs: number; readonly webhookLost: boolean }
  /** Marked showed (GHL; Calendly has no attendance signal). */
  | { readonly kind: 'showed'; readonly atMs: number; readonly webhookLost: boolean };

export interface DemoBookingPlan {
  readonly provider: DemoProvider;
  /** Who booked: a lead's person, or someone no lead is (an unmatched booking). */
  readonly person: DemoPerson;
  /** The lead this booking is for (null: unmatched). */
  readonly lead: DemoLead | null;
  readonly startMs: number;
  readonly createdMs: number;
  /** The create webhook was lost (Calendly) or never sent (booked directly in GHL). */
  readonly createWebhookLost: boolean;
  readonly change: DemoChange | null;
}

/** A lead that books after the first reconciliation found nothing (its mismatch closes). */
export interface DemoLateBooking {
  readonly lead: DemoLead;
  readonly startMs: number;
  /** Lost: found by the operator's check-now (`POST …/leads/:leadId/check`) instead. */
  readonly webhookLost: boolean;
}

export interface DemoLater {
  readonly lateBookings: readonly DemoLateBooking[];
  /** Leads with a meeting the CRM had not labelled booked: the CRM relabels them "Meeting Booked". */
  readonly sentimentCorrections: readonly DemoLead[];
}

export interface DemoWorld {
  readonly nowMs: number;
  readonly leads: readonly DemoLead[];
  readonly bookings: readonly DemoBookingPlan[];
  readonly later: DemoLater;
}
