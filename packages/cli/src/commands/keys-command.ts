/**
 * `recon keys create <workspaceId> [--label L]`, `recon keys list <workspaceId>`,
 * `recon keys revoke <keyId>`, each with `--json`: a workspace's operator API keys, straight in
 * the database `recon start` uses. A new key is printed once (recon stores only its hash, and no
 * listing ever shows the hash). A running recon refuses a revoked key within its key cache's TTL
 * (a few seconds). Exit 0 ok, 1 failure (unknown workspace or key), 2 usage.
 */
import { parseArgs } from 'node:util';
import {
  createApiKey,
  getApiKeyInfo,
  getWorkspace,
  listApiKeys,
  revokeApiKey,
  type ApiKeyInfo,
} from '@recon/workspaces';
import type { Runtime } from '../runtime/open-runtime';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, printJson, processIo, type AdminIo } from './admin-io';
import { withAdminRuntime } from './open-admin-runtime';
import { textTable } from './text-table';

export const KEYS_USAGE =
  'Usage: recon keys create <workspaceId> [--label L] [--json] | recon keys list <workspaceId> [--json] | recon keys revoke <keyId> [--json]\n';
const DEFAULT_LABEL = 'cli';
const MAX_LABEL = 200;

type Parsed =
  | { readonly sub: 'create'; readonly workspaceId: string; readonly label: string; readonly json: boolean }
  | { readonly sub: 'list'; readonly workspaceId: string; readonly json: boolean }
  | { readonly sub: 'revoke'; readonly keyId: string; readonly json: boolean };

function parse(args: readonly string[]): Parsed | null {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' }, label: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const json = values.json === true;
    const [sub, id, ...extra] = positionals;
    if (id === undefined || id === '' || extra.length > 0) return null;
    if (values.label !== undefined && sub !== 'create') return null;
    switch (sub) {
      case 'create': {
        const label = (values.label ?? DEFAULT_LABEL).trim();
        return label.length > 0 && label.length <= MAX_LABEL ? { sub, workspaceId: id, label, json } : null;
      }
      case 'list':
        return { sub, workspaceId: id, json };
      case 'revoke':
        return { sub, keyId: id, json };
      default:
        return null;
    }
  } catch {
    return null;
  }
}

const keyTable = (keys: readonly ApiKeyInfo[]) =>
  textTable(
    ['id', 'status', 'created', 'revoked', 'label'],
    keys.map((k) => [k.id, k.revokedAt === null ? 'active' : 'revoked', k.createdAt, k.revokedAt ?? '-', k.label]),
  );

async function run(parsed: Parsed, runtime: Runtime, io: AdminIo): Promise<number> {
  const db = runtime.db;
  switch (parsed.sub) {
    case 'create': {
      if ((await getWorkspace(db, parsed.workspaceId)) === null) {
        io.err(`recon: no workspace ${parsed.workspaceId}.\n`);
        return EXIT_FAILURE;
      }
      const created = await createApiKey(db, { workspaceId: parsed.workspaceId, label: parsed.label, now: new Date() });
      const info = await getApiKeyInfo(db, created.id);
      if (parsed.json) printJson(io, { ...info, key: created.key });
      else {
        io.out(`key ${created.id} created for workspace ${parsed.workspaceId} (label "${parsed.label}"):\n`);
        io.out(`${created.key}\n`);
        io.err('This is the only time the key is shown: recon keeps only its hash.\n');
      }
      return EXIT_OK;
    }
    case 'list': {
      if ((await getWorkspace(db, parsed.workspaceId)) === null) {
        io.err(`recon: no workspace ${parsed.workspaceId}.\n`);
        return EXIT_FAILURE;
      }
      const keys = await listApiKeys(db, parsed.workspaceId);
      if (parsed.json) printJson(io, { workspaceId: parsed.workspaceId, keys });
      else io.out(keys.length === 0 ? `no keys in workspace ${parsed.workspaceId}\n` : keyTable(keys));
      return EXIT_OK;
    }
    case 'revoke': {
      const before = await getApiKeyInfo(db, parsed.keyId);
      if (before === null) {
        io.err(`recon: no API key ${parsed.keyId}.\n`);
        return EXIT_FAILURE;
      }
      const revoked = await revokeApiKey(db, { workspaceId: before.workspaceId, id: before.id, now: new Date() });
      const after = revoked.ok ? await getApiKeyInfo(db, before.id) : null;
      if (after === null) {
        io.err(`recon: no API key ${parsed.keyId}.\n`);
        return EXIT_FAILURE;
      }
      if (parsed.json) printJson(io, after);
      else
        io.out(
          before.revokedAt === null
            ? `key ${after.id} of workspace ${after.workspaceId} revoked at ${after.revokedAt}\n`
            : `key ${after.id} of workspace ${after.workspaceId} was already revoked at ${after.revokedAt}\n`,
        );
      return EXIT_OK;
    }
    default: {
      const never: never = parsed;
      return never;
    }
  }
}

export async function keysCommand(args: readonly string[], io: AdminIo = processIo): Promise<number> {
  const parsed = parse(args);
  if (parsed === null) {
    io.err(KEYS_USAGE);
    return EXIT_USAGE;
  }
  return withAdminRuntime(io, `keys ${parsed.sub}`, (runtime) => run(parsed, runtime, io));
}
