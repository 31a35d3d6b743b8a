/**
 * A change of the workspace rules (`bookedSentimentLabels`, `autoCorrectSentiment`) is a fact in
 * the log: `WorkspaceRulesChanged` on the workspace's stream, which the core projection folds (it
 * re-evaluates the workspace's leads; live and rebuild read the same facts). Idempotent: rules
 * equal to the last recorded ones (or, before any, to the settings they replace) append nothing.
 * Appends at the exact revision read; a concurrent change is re-read and decided again.
 */
import { eventIdsAt, workspaceStreamName, WorkspaceRulesChanged, type WorkspaceRules } from '@recon/domain';
import type { EventStore } from '@recon/eventstore';

const ATTEMPTS = 3;

function sameRules(a: WorkspaceRules, b: WorkspaceRules): boolean {
  return (
    a.autoCorrectSentiment === b.autoCorrectSentiment &&
    JSON.stringify(a.bookedSentimentLabels) === JSON.stringify(b.bookedSentimentLabels)
  );
}

export type RecordRulesResult =
  | { readonly ok: true; readonly appended: boolean }
  | { readonly ok: false; readonly code: 'CONCURRENCY_CONFLICT' };

export async function recordWorkspaceRulesChange(
  store: EventStore,
  input: {
    readonly workspaceId: string;
    readonly rules: WorkspaceRules;
    readonly previous: WorkspaceRules;
    readonly now: Date;
  },
): Promise<RecordRulesResult> {
  const stream = workspaceStreamName(input.workspaceId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const recorded = await store.readStream(stream);
    const last = recorded.at(-1);
    let current = input.previous;
    for (const e of recorded) {
      const parsed = WorkspaceRulesChanged.safeParse({ type: e.type, data: e.data });
      if (parsed.success)
        current = {
          bookedSentimentLabels: parsed.data.data.bookedSentimentLabels,
          autoCorrectSentiment: parsed.data.data.autoCorrectSentiment,
        };
    }
    if (sameRules(current, input.rules)) return { ok: true, appended: false };
    const event = WorkspaceRulesChanged.parse({
      type: 'WorkspaceRulesChanged',
      data: {
        workspaceId: input.workspaceId,
        bookedSentimentLabels: [...input.rules.bookedSentimentLabels],
        autoCorrectSentiment: input.rules.autoCorrectSentiment,
        changedAt: input.now.toISOString(),
      },
    });
    const revisionRead = last === undefined ? null : last.revision;
    const [id] = eventIdsAt(stream, revisionRead, [event]);
    if (id === undefined) throw new Error('no event id');
    const r = await store.append(stream, [{ id, type: event.type, data: { ...event.data } }], {
      expectedRevision: revisionRead === null ? 'no_stream' : revisionRead,
    });
    if (r.ok) return { ok: true, appended: true };
  }
  return { ok: false, code: 'CONCURRENCY_CONFLICT' };
}
