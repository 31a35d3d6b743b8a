/**
 * `recon secrets rotate`: re-seals every stored provider credential and notify secret under the
 * current RECON_SECRET_KEY. Run it with the new key as RECON_SECRET_KEY and the old one as
 * RECON_SECRET_KEY_PREVIOUS (docs/operations.md, "Rotating RECON_SECRET_KEY"); it prints counts —
 * re-sealed, already current, unreadable — and never a value. Idempotent: a second run re-seals 0.
 * Exit code 1 when some secret opens under neither key (it is left as it was).
 *
 * `recon secrets rehash-emails`: after the switch, re-keys every lead's email hashes under the
 * current key from the contact table (see rehash-lead-emails.ts); counts only. Exit code 1 when
 * some lead failed (run it again).
 */
import { createLogger } from '@recon/api';
import { createSecretBox, resealAllSecrets, type ResealCounts } from '@recon/workspaces';
import { openRuntime } from '../runtime/open-runtime';
import { resolveConfig, type CliConfig } from '../runtime/resolve-config';
import { rehashLeadEmails } from './rehash-lead-emails';

const USAGE = 'Usage: recon secrets rotate | recon secrets rehash-emails\n';

export interface SecretsCommandIo {
  readonly env: Record<string, string | undefined>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: SecretsCommandIo = {
  env: process.env,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const line = (what: string, c: ResealCounts) =>
  `${what}: ${c.resealed} re-sealed, ${c.alreadyCurrent} already current, ${c.unreadable} unreadable\n`;

export async function secretsCommand(args: readonly string[], io: SecretsCommandIo = processIo): Promise<number> {
  const sub = args.length === 1 ? args[0] : undefined;
  if (sub !== 'rotate' && sub !== 'rehash-emails') {
    io.err(USAGE);
    return 2;
  }
  const config = await resolveConfig(io.env);
  if (!config.ok) {
    io.err(`${config.message}\n`);
    return 2;
  }
  const previous = config.value.env.previousSecretKey;
  if (sub === 'rehash-emails') return rehash(config.value, io);
  if (previous === undefined)
    io.err('RECON_SECRET_KEY_PREVIOUS is not set: only secrets already under RECON_SECRET_KEY can be read.\n');
  const log = createLogger({ level: io.env['LOG_LEVEL'] ?? 'warn' });
  const runtime = await openRuntime(config.value, log, { longRunning: true });
  try {
    const report = await resealAllSecrets(runtime.db, createSecretBox(config.value.secrets.secretKey, previous));
    io.out(line('provider credentials', report.credentials));
    io.out(line('notify secrets', report.notifySecrets));
    io.out(line('stream keys', report.streamKeys));
    io.out(line('total', report.total));
    if (report.total.unreadable > 0) {
      io.err(
        `${report.total.unreadable} secret(s) open under neither key and were left as they were; store them again (PUT the provider credentials or the workspace settings).\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await runtime.close();
  }
}

async function rehash(config: CliConfig, io: SecretsCommandIo): Promise<number> {
  const log = createLogger({ level: io.env['LOG_LEVEL'] ?? 'warn' });
  const runtime = await openRuntime(config, log, { longRunning: true });
  try {
    const c = await rehashLeadEmails(
      { db: runtime.db, store: runtime.store, clock: () => new Date() },
      config.secrets.secretKey,
    );
    io.out(`leads: ${c.rehashed} re-hashed, ${c.alreadyCurrent} already current, ${c.failed} failed\n`);
    return c.failed > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
