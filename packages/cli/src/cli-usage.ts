/** The `recon` help text (the provider list comes from ingest's registry). */
import { providerNames } from '@recon/ingest';
import { MIN_DEMO_LEADS } from './demo/demo-showcase';

export const USAGE = `recon: makes "meeting booked" a verified state.

Usage:
  recon start [--role api,ingest,projections,scheduler]
      Migrations, event store, projections, scheduler and HTTP in one process (default: every role).
      Embedded PostgreSQL under RECON_DATA_DIR when DATABASE_URL is unset.
  recon rebuild [projection…]
      Rebuild read models blue/green from the event store (default: all projections).
  recon backfill --workspace <id> [--provider ${providerNames.join('|')}]… [--from ISO] [--to ISO] [--new]
      Resumable provider backfill of one workspace (resumes its unfinished job unless --new;
      Ctrl-C pauses it).
  recon secrets rotate
      Re-seal every stored provider credential and notify secret under RECON_SECRET_KEY (run with
      the old key as RECON_SECRET_KEY_PREVIOUS); prints counts. See docs/operations.md.
  recon secrets rehash-emails
      After RECON_SECRET_KEY changed: re-key every lead's email hashes from the contact table
      (one LeadContactChanged per lead; idempotent); prints counts.
  recon status [--json]
      Projections (running, lag), scheduler (last tick, due leads), outbox, backfills and
      per-workspace counts, read from the database.
  recon workspaces create <name> | list  [--json]
  recon keys create <workspaceId> [--label L] | list <workspaceId> | revoke <keyId>  [--json]
      Workspaces and operator API keys, straight in the database (a new key is printed once).
      Admin commands use the same database as \`recon start\`; with the embedded database, stop
      recon first (or set DATABASE_URL). Exit codes: 0 ok, 1 failure, 2 usage.
  recon demo [--leads N] [--seed N] [--exit]
      recon plus local provider simulators, a generated workspace (N leads, ${MIN_DEMO_LEADS} to 100000,
      default 2000; seed default 42), webhook traffic and a reconciliation; prints the operator
      page URL, the keys and a summary, then runs until Ctrl-C (or stops at once with --exit).
      Data in ./.recon-demo unless RECON_DATA_DIR is set.

Configuration comes from the environment (see README.md, "Configuration").
`;
