/**
 * What a projection is to the runner: a name, a schema version, the stream prefixes it reads, the
 * DDL of its tables (created inside a versioned PostgreSQL schema so a rebuild can build the next
 * generation beside the live one) and a batch handler. The same handler serves live batches and
 * rebuild pages: it loads the rows a batch touches, folds the events in memory and writes each
 * table back with one set-based statement.
 */
import type { ReconEvent, WorkspaceEvent, WorkspaceRules } from '@recon/domain';
import type { Position, RecordedEvent } from '@recon/eventstore';
import type { RawBuilder, Transaction } from 'kysely';

export type ProjectionMode = 'live' | 'rebuild';

/** A stored event with its parsed payload (a workspace event only where a projection reads `workspace-` streams). */
export interface ProjectedEvent {
  readonly recorded: RecordedEvent;
  readonly event: ReconEvent | WorkspaceEvent;
}

/** Something a batch changed that side effects (outbox, link requests) may care about. */
export type ProjectionChange =
  | {
      readonly kind: 'lead-changed';
      readonly workspaceId: string;
      readonly leadId: string;
      readonly before: {
        readonly bookingState: string;
        readonly mayEnroll: boolean;
        readonly mustPause: boolean;
      } | null;
      readonly after: { readonly bookingState: string; readonly mayEnroll: boolean; readonly mustPause: boolean };
    }
  | {
      readonly kind: 'task-opened';
      readonly workspaceId: string;
      readonly leadId: string;
      readonly taskId: string;
      readonly taskKind: string;
      readonly severity: string;
    }
  | {
      readonly kind: 'link-requested';
      readonly workspaceId: string;
      readonly leadId: string;
      readonly provider: string;
      readonly providerAppointmentId: string;
      readonly streamName: string;
      readonly matchedBy: string;
    };

export interface BatchContext {
  readonly mode: ProjectionMode;
  /** The versioned schema this batch writes to. */
  readonly schema: string;
  readonly comparePositions: (a: Position, b: Position) => number;
  readonly rulesFor: (workspaceId: string) => WorkspaceRules;
  /**
   * Rebuild only: keys (table + row key) written by earlier pages of this rebuild. A key not in it
   * cannot exist in the new generation, so the handler skips loading it.
   */
  readonly written?: Set<string>;
}

/** Rows of one table to load: objects keyed by column, or (COPY loads only) lines already encoded. */
export type TableRows = {
  readonly table: string;
  readonly columns: readonly string[];
  /** Columns of PostgreSQL array type (other arrays and objects are written as JSON). */
  readonly arrays?: readonly string[];
} & (
  | { readonly rows: Iterable<Readonly<Record<string, unknown>>>; readonly lines?: never }
  | { readonly lines: Iterable<string>; readonly rows?: never }
);

export interface ReplayContext {
  readonly rulesFor: (workspaceId: string) => WorkspaceRules;
  /** Rows per map kept as objects (the rest as JSON text, see ColdMap); each replay has a default. */
  readonly hotRows?: number;
  /**
   * Rows are loaded with COPY: rows collected for later may be kept as encoded lines (`copyLine`),
   * compact strings instead of objects.
   */
  readonly copy?: boolean;
}

/**
 * A rebuild's in-memory fold of one projection. Events come in global order from the start of
 * the log, each exactly once, so no position guard is needed; the working set stays in memory
 * across pages.
 */
export interface MemoryReplay {
  /** Folds the next events; throws PoisonEventError naming an event it cannot apply. */
  apply(events: readonly ProjectedEvent[]): void;
  /**
   * Rows already final (append-only tables, where the first row of a key wins), taken once:
   * written while the next page folds.
   */
  takeFinalRows(): readonly TableRows[];
  /**
   * Every other row, after the last page. Loaded in the order given, one table after the other
   * (a table's rows may be collected while an earlier table's rows are iterated).
   */
  finalRows(): readonly TableRows[];
}

/** Thrown by a handler when one event cannot be applied: names the event for dead letters / rebuild errors. */
export class PoisonEventError extends Error {
  constructor(
    readonly recorded: RecordedEvent,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code} at position ${recorded.position} (event ${recorded.id}, ${recorded.type}): ${detail}`);
    this.name = 'PoisonEventError';
  }
}

export interface Projection {
  readonly name: string;
  /** Bump when the tables or the handler's output change: the runner then rebuilds blue/green. */
  readonly version: number;
  readonly streamPrefixes: readonly string[];
  /** Tables (unqualified names) published as views in `public` for readers. */
  readonly tables: readonly string[];
  /**
   * The DDL of its tables in `schema` (which exists): CREATE TABLEs, then each key and index as a
   * statement of its own (ALTER TABLE … ADD PRIMARY KEY, CREATE INDEX), see runtime/ddl.ts.
   */
  ddl(schema: string): RawBuilder<unknown>;
  /**
   * Optional in-memory replay for rebuilds: folds the whole log in memory and hands over final
   * rows, loaded with COPY into bare tables that get their keys and indexes afterwards. Without
   * it a rebuild applies pages through `applyBatch`. Must produce the rows `applyBatch` would.
   */
  replay?(ctx: ReplayContext): MemoryReplay;
  /** Applies events (global order) to the tables in `ctx.schema`; returns what changed. */
  applyBatch(
    trx: Transaction<unknown>,
    events: readonly ProjectedEvent[],
    ctx: BatchContext,
  ): Promise<readonly ProjectionChange[]>;
}

/**
 * Side effects that must commit with the read model (the notification outbox, link requests):
 * called inside the batch transaction, in live mode only (a rebuild never re-sends anything).
 */
export type BatchSideEffect = (
  trx: Transaction<unknown>,
  batch: {
    readonly projection: string;
    readonly events: readonly ProjectedEvent[];
    readonly changes: readonly ProjectionChange[];
  },
) => Promise<void>;
