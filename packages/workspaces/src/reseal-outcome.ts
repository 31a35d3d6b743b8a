/** What re-sealing one stored secret under the current RECON_SECRET_KEY did (`recon secrets rotate`). */
export type ResealOutcome = 'resealed' | 'current' | 'unreadable' | 'gone';
