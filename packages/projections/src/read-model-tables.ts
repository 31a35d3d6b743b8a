/**
 * The read-model tables tests compare across builds (a rebuild against the live build, a fault run
 * against its replay), through their public views: the core projection's tables, then the identities
 * projection's, in that order — without `workspace_rules` (the workspace's folded configuration,
 * which those comparisons have never included).
 */
import { CORE_TABLES } from './core/core-tables';
import { IDENTITY_TABLES } from './identities/identity-tables';

type CoreTable = (typeof CORE_TABLES)[number];
type ComparedCoreTable = Exclude<CoreTable, 'workspace_rules'>;

export type ReadModelTable = ComparedCoreTable | (typeof IDENTITY_TABLES)[number];

export const READ_MODEL_TABLES: readonly ReadModelTable[] = [
  ...CORE_TABLES.filter((t): t is ComparedCoreTable => t !== 'workspace_rules'),
  ...IDENTITY_TABLES,
];
