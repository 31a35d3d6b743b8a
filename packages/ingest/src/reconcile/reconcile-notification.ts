/**
 * What the reconciler tells the notification hook (the outbox of the API issue delivers it): the
 * lead's booking state moved, or evidence overrode the CRM's sentiment (autoCorrectSentiment).
 * Ids and states only; no PII.
 */
import type { BookingState, MismatchKind } from '@recon/domain';

export interface ReconcileNotification {
  readonly kind: 'booking-state-changed' | 'sentiment-auto-corrected';
  readonly workspaceId: string;
  readonly leadId: string;
  readonly bookingStateBefore: BookingState;
  readonly bookingState: BookingState;
  /** For sentiment-auto-corrected: the mismatch evidence overrode. */
  readonly mismatch: MismatchKind | null;
  readonly effectiveBooked: boolean;
  readonly at: string;
}
