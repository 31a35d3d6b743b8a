/**
 * `recon secrets rotate`: every stored secret (provider credentials, notify secrets, stream keys) re-sealed
 * under the current RECON_SECRET_KEY, one row per transaction, with counts. Run with the new key
 * as RECON_SECRET_KEY and the old one as RECON_SECRET_KEY_PREVIOUS; a second run re-seals nothing.
 * Rows are walked by key in pages, so a large table is not held in memory.
 */
import type { Provider } from '@recon/domain';
import type { Kysely } from 'kysely';
import type { WorkspacesDatabase } from './database';
import { resealProviderCredentials } from './provider-credentials';
import type { ResealCounts, ResealOutcome } from './reseal-outcome';
import type { SecretBox } from './secret-box';
import { resealNotifySecret } from './settings';
import { resealStreamKeys } from './stream-keys';

export type { ResealCounts } from './reseal-outcome';

export interface ResealReport {
  readonly credentials: ResealCounts;
  readonly notifySecrets: ResealCounts;
  /** The per-stream data keys of crypto-shredding (stream-keys.ts). */
  readonly streamKeys: ResealCounts;
  readonly total: ResealCounts;
}

const PAGE = 500;

const zero = (): ResealCounts => ({ resealed: 0, alreadyCurrent: 0, unreadable: 0 });

function count(into: ResealCounts, outcome: ResealOutcome): void {
  if (outcome === 'resealed') into.resealed += 1;
  else if (outcome === 'current') into.alreadyCurrent += 1;
  else if (outcome === 'unreadable') into.unreadable += 1;
  // 'gone': deleted meanwhile, nothing to count
}

export async function resealAllSecrets(db: Kysely<WorkspacesDatabase>, box: SecretBox): Promise<ResealReport> {
  const credentials = zero();
  let after: { workspace_id: string; provider: Provider } | null = null;
  for (;;) {
    let q = db
      .selectFrom('provider_credentials')
      .select(['workspace_id', 'provider'])
      .orderBy('workspace_id')
      .orderBy('provider')
      .limit(PAGE);
    if (after !== null) {
      const a: { workspace_id: string; provider: Provider } = after;
      q = q.where((eb) =>
        eb.or([
          eb('workspace_id', '>', a.workspace_id),
          eb.and([eb('workspace_id', '=', a.workspace_id), eb('provider', '>', a.provider)]),
        ]),
      );
    }
    const page = await q.execute();
    for (const row of page)
      count(credentials, await resealProviderCredentials(db, box, row.workspace_id, row.provider));
    if (page.length < PAGE) break;
    after = page[page.length - 1] ?? null;
  }

  const notifySecrets = zero();
  let afterWs: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('workspace_settings')
      .select('workspace_id')
      .where('sealed_notify_secret', 'is not', null)
      .orderBy('workspace_id')
      .limit(PAGE);
    if (afterWs !== null) q = q.where('workspace_id', '>', afterWs);
    const page = await q.execute();
    for (const row of page) count(notifySecrets, await resealNotifySecret(db, box, row.workspace_id));
    if (page.length < PAGE) break;
    afterWs = page[page.length - 1]?.workspace_id ?? null;
  }

  const streamKeys = await resealStreamKeys(db, box);

  const parts = [credentials, notifySecrets, streamKeys];
  const total: ResealCounts = {
    resealed: parts.reduce((n, c) => n + c.resealed, 0),
    alreadyCurrent: parts.reduce((n, c) => n + c.alreadyCurrent, 0),
    unreadable: parts.reduce((n, c) => n + c.unreadable, 0),
  };
  return { credentials, notifySecrets, streamKeys, total };
}
