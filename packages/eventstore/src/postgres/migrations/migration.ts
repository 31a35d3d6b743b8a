/** A schema change of the event store: applied once, in id order, recorded in eventstore.migrations. */
export interface Migration {
  /** Dated id; sorts in application order. */
  readonly id: string;
  readonly up: string;
  readonly down: string;
}
