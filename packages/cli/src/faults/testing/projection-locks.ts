/**
 * Test support: which recon process holds each projection's runner lock. A runner holds the
 * session advisory lock (hashtext('recon.projection'), hashtext(name)) on its database while it
 * runs; pg_locks names the backend, pg_stat_activity its client port, and /proc (Linux) the local
 * process whose socket owns that port. Independent of what recon reports about itself.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { FaultWorld } from './faults-harness';

export interface LockHolder {
  readonly projection: string;
  readonly backendPid: number;
  /** The OS pid of the process owning the session's client socket, when it is one of `candidates`. */
  readonly osPid: number | null;
}

async function socketInodes(pid: number): Promise<Set<string>> {
  const out = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m?.[1] !== undefined) out.add(m[1]);
  }
  return out;
}

/** Inodes of the TCP sockets whose local port is `port` (IPv4 and IPv6 tables). */
async function inodesOfLocalPort(port: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      if (local === undefined || f[9] === undefined) continue;
      if (parseInt(local.split(':').at(-1) ?? '', 16) === port) out.add(f[9]);
    }
  }
  return out;
}

/** The granted runner locks on the world's database, each with the local process that holds it (among `candidates`). */
export async function projectionLockHolders(world: FaultWorld, candidates: readonly number[]): Promise<LockHolder[]> {
  const rows = await world.admin(
    async (c) =>
      (
        await c.query<{ projection: string; pid: number; client_port: number | null }>(
          `SELECT n.name AS projection, a.pid, a.client_port
         FROM unnest($2::text[]) AS n(name)
         JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = $1)
           AND l.classid = hashtext('recon.projection')::oid AND l.objid = hashtext(n.name)::oid
         JOIN pg_stat_activity a ON a.pid = l.pid`,
          [world.dbName, ['core', 'identities']],
        )
      ).rows,
  );
  const inodes = new Map(await Promise.all(candidates.map(async (p) => [p, await socketInodes(p)] as const)));
  const out: LockHolder[] = [];
  for (const r of rows) {
    const mine = r.client_port === null ? new Set<string>() : await inodesOfLocalPort(r.client_port);
    const owner = candidates.find((p) => [...mine].some((i) => inodes.get(p)?.has(i)));
    out.push({ projection: r.projection, backendPid: r.pid, osPid: owner ?? null });
  }
  return out;
}
