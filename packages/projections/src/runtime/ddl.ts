/**
 * DDL in phases. A projection's DDL is one script of statements; a rebuild loads its new
 * generation into bare tables first and builds every index and key afterwards (one sort per index
 * instead of one insertion per row and index), so the script is split by statement: `tables` runs
 * the CREATE TABLEs, `indexes` every CREATE [UNIQUE] INDEX and ALTER TABLE … ADD PRIMARY KEY/
 * CONSTRAINT, `all` (live generations) both in order. Statements end with `;` at a line end;
 * whole-line `--` comments are dropped.
 */
import type { RawBuilder, Transaction } from 'kysely';
import { sql, type Kysely } from 'kysely';

export type DdlPhase = 'all' | 'tables' | 'indexes';

const INDEX_STATEMENT = /^(CREATE\s+(UNIQUE\s+)?INDEX\b|ALTER\s+TABLE\b[\s\S]*\bADD\s+(PRIMARY\s+KEY|CONSTRAINT)\b)/i;

/** The statements of a script (compiled without parameters: DDL here inlines identifiers only). */
export function ddlStatements(db: Kysely<unknown> | Transaction<unknown>, script: RawBuilder<unknown>): string[] {
  const compiled = script.compile(db);
  if (compiled.parameters.length > 0) throw new Error('DDL scripts take no parameters');
  return compiled.sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function isIndexStatement(statement: string): boolean {
  return INDEX_STATEMENT.test(statement);
}

/** Runs the statements of `script` that belong to `phase`, in order. */
export async function runDdl(trx: Transaction<unknown>, script: RawBuilder<unknown>, phase: DdlPhase): Promise<void> {
  for (const statement of ddlStatements(trx, script)) {
    if (phase === 'all' || (phase === 'indexes') === isIndexStatement(statement)) await sql.raw(statement).execute(trx);
  }
}
