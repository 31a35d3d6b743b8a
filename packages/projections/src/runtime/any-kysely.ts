/**
 * Exported runtime functions take any app's kysely instance (whatever its `Database` type):
 * they only run raw SQL against the projections' own tables.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;
