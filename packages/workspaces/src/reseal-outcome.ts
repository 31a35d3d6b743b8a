/** What re-sealing one stored secret under the current RECON_SECRET_KEY did (`recon secrets rotate`). */
export type ResealOutcome = 'resealed' | 'current' | 'unreadable' | 'gone';

export interface ResealCounts {
  /** Sealed by the previous key, now sealed by the current one. */
  resealed: number;
  /** Already sealed by the current key (left as they were). */
  alreadyCurrent: number;
  /** Opened by neither key (a key lost, a tampered row): left as they were. */
  unreadable: number;
}
