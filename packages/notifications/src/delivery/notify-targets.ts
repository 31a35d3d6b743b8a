/**
 * Where a workspace's notifications go: its notifyUrl and decrypted notifySecret, from the
 * workspace settings, cached briefly per worker (settings changes apply within the TTL; lru-cache
 * holds at most 10,000 workspaces, the least recently used goes first). A missing URL or secret is
 * a coded value: the attempt fails and is retried like any other failure.
 */
import { createSecretBox, getNotifySecret, getWorkspaceSettings, type WorkspacesDatabase } from '@recon/workspaces';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';

export type NotifyTarget =
  | { readonly ok: true; readonly url: string; readonly secret: string }
  | { readonly ok: false; readonly code: 'NOTIFY_URL_MISSING' | 'NOTIFY_SECRET_MISSING' };

export type NotifyTargetLookup = (workspaceId: string) => Promise<NotifyTarget>;

/**
 * Targets from the workspaces tables, decrypting secrets with RECON_SECRET_KEY (or, during a key
 * rotation, RECON_SECRET_KEY_PREVIOUS for a secret not yet re-sealed).
 */
export function workspaceNotifyTargets(
  db: Kysely<WorkspacesDatabase>,
  secretKey: string,
  ttlMs = 5_000,
  previousSecretKey?: string,
): NotifyTargetLookup {
  const box = createSecretBox(secretKey, previousSecretKey);
  const cache = new LRUCache<string, { at: number; target: NotifyTarget }>({ max: 10_000 });
  return async (workspaceId) => {
    const hit = cache.get(workspaceId);
    if (hit !== undefined && Date.now() - hit.at < ttlMs) return hit.target;
    const settings = await getWorkspaceSettings(db, workspaceId);
    let target: NotifyTarget;
    if (settings.notifyUrl === null) target = { ok: false, code: 'NOTIFY_URL_MISSING' };
    else {
      const secret = await getNotifySecret(db, box, workspaceId);
      target =
        secret === null ? { ok: false, code: 'NOTIFY_SECRET_MISSING' } : { ok: true, url: settings.notifyUrl, secret };
    }
    if (ttlMs > 0) cache.set(workspaceId, { at: Date.now(), target });
    return target;
  };
}
