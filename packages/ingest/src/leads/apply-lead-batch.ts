/**
 * POST leads:batch: each item is validated and applied on its own (one lead stream, one append),
 * so one invalid item never drops the others. Items run with bounded concurrency. When the store
 * is unavailable the batch reports it as a whole: the client resends it, and since every item is
 * idempotent the resend appends only what is still missing.
 */
import type { Position } from '@recon/eventstore';
import { getLeadContacts } from '@recon/workspaces';
import { applyLeadUpdate } from './apply-lead-update';
import type { LeadFeedDeps } from './lead-feed-deps';
import { BatchLeadItem, type LeadInput } from './lead-input';
import type { StoreFailureCode } from '../handle-command';

export type BatchItemResult =
  | {
      readonly index: number;
      readonly leadId: string;
      readonly status: 'created' | 'updated' | 'unchanged';
      readonly position: Position | null;
    }
  | {
      readonly index: number;
      readonly leadId: string | null;
      readonly status: 'invalid';
      readonly code: string;
      readonly details: readonly { path: string; code: string }[];
    };

export type ApplyLeadBatchResult =
  | { readonly ok: true; readonly results: readonly BatchItemResult[]; readonly position: Position | null }
  | { readonly ok: false; readonly code: StoreFailureCode | 'CONCURRENCY_CONFLICT' };

const CONCURRENCY = 8;

export async function applyLeadBatch(
  deps: LeadFeedDeps,
  workspaceId: string,
  items: readonly unknown[],
): Promise<ApplyLeadBatchResult> {
  const results: BatchItemResult[] = new Array(items.length);
  const valid: { index: number; leadId: string; input: LeadInput }[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const parsed = BatchLeadItem.safeParse(item);
    const rawId =
      typeof item === 'object' && item !== null && typeof (item as { leadId?: unknown }).leadId === 'string'
        ? (item as { leadId: string }).leadId
        : null;
    const leadId = rawId !== null && rawId.length <= 200 ? rawId : null;
    if (!parsed.success) {
      const details = parsed.error.issues
        .slice(0, 20)
        .map((i) => ({ path: i.path.map(String).join('.'), code: i.code }));
      results[index] = { index, leadId, status: 'invalid', code: 'VALIDATION_FAILED', details };
    } else if (seen.has(parsed.data.leadId)) {
      results[index] = {
        index,
        leadId,
        status: 'invalid',
        code: 'DUPLICATE_LEAD_ID',
        details: [{ path: 'leadId', code: 'duplicate' }],
      };
    } else {
      seen.add(parsed.data.leadId);
      const { leadId: id, ...input } = parsed.data;
      valid.push({ index, leadId: id, input });
    }
  });

  let contacts: Awaited<ReturnType<typeof getLeadContacts>>;
  try {
    contacts = await getLeadContacts(deps.db, { workspaceId, leadIds: valid.map((v) => v.leadId) });
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  let failure: StoreFailureCode | 'CONCURRENCY_CONFLICT' | null = null;
  let last: Position | null = null;
  let next = 0;
  const worker = async () => {
    while (failure === null && next < valid.length) {
      const item = valid[next++]!;
      const applied = await applyLeadUpdate(
        deps,
        { workspaceId, leadId: item.leadId },
        item.input,
        contacts.get(item.leadId) ?? null,
      );
      if (!applied.ok) {
        failure = applied.code;
        return;
      }
      results[item.index] = {
        index: item.index,
        leadId: item.leadId,
        status: applied.outcome,
        position: applied.position,
      };
      if (applied.position !== null && (last === null || deps.store.comparePositions(applied.position, last) > 0))
        last = applied.position;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, valid.length) }, worker));
  if (failure !== null) return { ok: false, code: failure };
  return { ok: true, results, position: last };
}
