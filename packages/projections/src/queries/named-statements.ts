/**
 * Named prepared statements for the hot reads. A query whose SQL starts with `PREPARED` is sent by
 * the pool that `withNamedStatements` wraps as a named statement (the name is a hash of its text),
 * so PostgreSQL parses it once per connection and reuses the plan; every other query, and every
 * query through an unwrapped pool (tests, tools), runs unnamed as before, with the same answers.
 * Marked statements inline the constants that select a partial index (`status = 'open'`): a
 * generic plan cannot use a partial index whose predicate depends on a bind parameter.
 */
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** The leading comment that marks a statement to be prepared by name (no colon: pgbench reads `:word` as a variable). */
export const PREPARED = '/* recon-prepared */';

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `recon_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** The kysely PostgresDialect `pool` for `pool`: marked statements go out named. */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (text: unknown, values?: readonly unknown[]) =>
      typeof text === 'string' && text.startsWith(PREPARED)
        ? client.query({ name: statementName(text), text, values: values === undefined ? [] : [...values] })
        : client.query(text as string, values === undefined ? undefined : [...values]);
    return { query: query as unknown as PostgresPoolClient['query'], release: () => client.release() };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (w === undefined) {
        w = wrap(client);
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}
