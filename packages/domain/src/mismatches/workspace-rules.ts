/**
 * Per-workspace rule settings the pure rules take as an argument. Sentiment labels are the CRM's
 * free-text tags; which of them mean "booked" is a workspace choice, compared trimmed and
 * case-insensitively.
 */
import { z } from 'zod';

export const WorkspaceRules = z.object({
  bookedSentimentLabels: z.array(z.string().min(1).max(100)).max(100),
  /** Evidence beats sentiment: the lead's effective status follows the provider evidence. */
  autoCorrectSentiment: z.boolean(),
});
export type WorkspaceRules = z.infer<typeof WorkspaceRules>;

export const DEFAULT_WORKSPACE_RULES: WorkspaceRules = Object.freeze({
  bookedSentimentLabels: Object.freeze(['Meeting Booked']) as string[],
  autoCorrectSentiment: true,
});

function normalizeLabel(label: string): string {
  return label.trim().toLowerCase();
}

/** Does this sentiment label mean "booked" under these settings? */
export function isBookedSentimentLabel(
  label: string | null | undefined,
  settings: Pick<WorkspaceRules, 'bookedSentimentLabels'>,
): boolean {
  if (label === null || label === undefined) return false;
  const wanted = normalizeLabel(label);
  return settings.bookedSentimentLabels.some((l) => normalizeLabel(l) === wanted);
}
