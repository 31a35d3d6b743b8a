/**
 * The snapshots of lead folds a reconciler keeps between checks: bounded (least recently used
 * leads leave first) and in memory only, so no PII (the contact hashes of the fold) lands in
 * another table and an erasure needs nothing here (its `LeadContactErased` is a newer event the
 * next fold applies). A lost snapshot costs one full fold. One cache per event store in the
 * process (all callers of one runtime share it); a snapshot is valid for its own store only.
 */
import type { EventStore } from '@recon/eventstore';
import { LRUCache } from 'lru-cache';
import type { LeadFoldSnapshot } from './fold-lead';

/** Leads whose fold is kept (≈ 2 KB each). */
export const LEAD_FOLD_CACHE_MAX = 20_000;

export type LeadFoldCache = LRUCache<string, LeadFoldSnapshot>;

const byStore = new WeakMap<EventStore, LeadFoldCache>();

/** The process-wide fold cache of this store (created on first use). */
export function leadFoldCache(store: EventStore): LeadFoldCache {
  let cache = byStore.get(store);
  if (cache === undefined) {
    cache = new LRUCache<string, LeadFoldSnapshot>({ max: LEAD_FOLD_CACHE_MAX });
    byStore.set(store, cache);
  }
  return cache;
}
