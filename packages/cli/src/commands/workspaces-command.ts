/**
 * `recon workspaces create <name> [--json]` and `recon workspaces list [--json]`: the tenants,
 * made and listed straight in the database `recon start` uses (no admin token needed: whoever can
 * reach the database is an admin). Exit 0 ok, 1 failure, 2 usage.
 */
import { parseArgs } from 'node:util';
import { createWorkspace, listWorkspaces, type Workspace } from '@recon/workspaces';
import { EXIT_OK, EXIT_USAGE, printJson, processIo, type AdminIo } from './admin-io';
import { withAdminRuntime } from './open-admin-runtime';
import type { Runtime } from '../runtime/open-runtime';
import { textTable } from './text-table';

export const WORKSPACES_USAGE = 'Usage: recon workspaces create <name> [--json] | recon workspaces list [--json]\n';
const MAX_NAME = 200;

type Parsed =
  | { readonly sub: 'create'; readonly name: string; readonly json: boolean }
  | { readonly sub: 'list'; readonly json: boolean };

function parse(args: readonly string[]): Parsed | null {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const json = values.json === true;
    const [sub, ...rest] = positionals;
    if (sub === 'list' && rest.length === 0) return { sub, json };
    const name = rest[0]?.trim() ?? '';
    if (sub === 'create' && rest.length === 1 && name.length > 0 && name.length <= MAX_NAME) return { sub, name, json };
    return null;
  } catch {
    return null;
  }
}

const table = (list: readonly Workspace[]) =>
  textTable(
    ['id', 'created', 'name'],
    list.map((w) => [w.id, w.createdAt, w.name]),
  );

async function run(parsed: Parsed, runtime: Runtime, io: AdminIo): Promise<number> {
  if (parsed.sub === 'create') {
    const ws = await createWorkspace(runtime.db, { name: parsed.name, now: new Date() });
    if (parsed.json) printJson(io, ws);
    else io.out(`workspace ${ws.id} created\n${table([ws])}`);
    return EXIT_OK;
  }
  const list = await listWorkspaces(runtime.db);
  if (parsed.json) printJson(io, { workspaces: list });
  else io.out(list.length === 0 ? 'no workspaces\n' : table(list));
  return EXIT_OK;
}

export async function workspacesCommand(args: readonly string[], io: AdminIo = processIo): Promise<number> {
  const parsed = parse(args);
  if (parsed === null) {
    io.err(WORKSPACES_USAGE);
    return EXIT_USAGE;
  }
  return withAdminRuntime(io, `workspaces ${parsed.sub}`, (runtime) => run(parsed, runtime, io));
}
