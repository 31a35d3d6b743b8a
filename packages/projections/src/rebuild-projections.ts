/**
 * `recon rebuild [projection…]`: rebuilds the named projections (default all) blue/green from the
 * event store. Returns a value: ok with counts, REBUILD_IN_PROGRESS, PROJECTION_UNKNOWN, or
 * REBUILD_POISON_EVENT naming the event that failed.
 */
import { DEFAULT_WORKSPACE_RULES, type WorkspaceRules } from '@recon/domain';
import type { EventStore } from '@recon/eventstore';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { ALL_PROJECTIONS } from './all-projections';
import { migrateProjections } from './migrate-projections';
import { rebuildWith, type RebuildOptions, type RebuildResult } from './runtime/rebuild';

export interface RebuildDeps {
  readonly store: EventStore;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly rulesFor?: (workspaceId: string) => WorkspaceRules;
  /** The pg pool behind `db`, if the caller has it: the new generation is then loaded with COPY. */
  readonly pool?: pg.Pool;
}

export async function rebuildProjections(
  deps: RebuildDeps,
  names?: readonly string[],
  options: RebuildOptions = {},
): Promise<RebuildResult | { readonly ok: false; readonly code: 'PROJECTION_UNKNOWN'; readonly projection: string }> {
  const selected = names === undefined || names.length === 0 ? [...ALL_PROJECTIONS] : [];
  for (const name of names ?? []) {
    const p = ALL_PROJECTIONS.find((x) => x.name === name);
    if (p === undefined) return { ok: false, code: 'PROJECTION_UNKNOWN', projection: name };
    selected.push(p);
  }
  const db = deps.db as Kysely<unknown>;
  await migrateProjections(db);
  return rebuildWith(
    {
      store: deps.store,
      db,
      rulesFor: deps.rulesFor ?? (() => DEFAULT_WORKSPACE_RULES),
      ...(deps.pool === undefined ? {} : { pool: deps.pool }),
    },
    selected,
    options,
  );
}
