/**
 * `recon status [--json]`: one look at a recon deployment from its database — projections (running,
 * lag), the reconciliation scheduler (last tick, due leads), the notification outbox, backfills and
 * per-workspace counts. Works whether or not `recon start` runs, as long as the database can be
 * reached (an embedded one owned by a running recon is refused: see open-admin-runtime.ts).
 * Exit 0 when reported, 1 when the database could not be read, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { describeFailure } from '@recon/resilience';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, printJson, processIo, type AdminIo } from './admin-io';
import { openAdminRuntime } from './open-admin-runtime';
import { gatherStatus, type StatusReport } from './status-report';
import { textTable } from './text-table';

export const STATUS_USAGE = 'Usage: recon status [--json]\n';

const orNever = (at: string | null) => at ?? 'never';

function lag(p: StatusReport['projections'][number]): string {
  if (p.generation === null) return 'not built';
  return `${p.lagEvents}${p.lagCapped ? '+' : ''} events, ${p.lagSeconds.toFixed(1)} s`;
}

export function renderStatus(r: StatusReport): string {
  const parts: string[] = [];
  parts.push('Projections\n');
  parts.push(
    textTable(
      ['name', 'running', 'generation', 'applied', 'lag', 'dead letters'],
      r.projections.map((p) => [
        p.name,
        p.running ? 'yes' : 'no',
        p.generation === null ? '-' : String(p.generation),
        String(p.eventsApplied),
        lag(p),
        `${p.deadLetters.retrying} retrying, ${p.deadLetters.skipped} skipped`,
      ]),
    ),
  );
  const s = r.scheduler;
  parts.push(
    `\nScheduler: last tick ${orNever(s.lastTickAt)}, last check ${orNever(s.lastCheckAt)}, ${s.dueLeads} leads due, ${s.leasesHeld} workspace(s) being served\n`,
  );
  const o = r.outbox;
  parts.push(
    `Outbox: ${o.pending} pending (oldest ${o.oldestPendingSeconds} s), ${o.failed} failed, ${o.delivered} delivered\n`,
  );
  const b = r.backfills;
  parts.push(`Backfills: ${b.running} running, ${b.queued} queued, ${b.failed} failed\n`);
  if (b.jobs.length > 0) {
    parts.push(
      textTable(
        ['job', 'workspace', 'status', 'phase', 'leads', 'events', 'error'],
        b.jobs.map((j) => [
          j.id,
          j.workspaceId,
          j.status,
          j.phase,
          `${j.leadsDone}/${j.leadsTotal}`,
          String(j.eventsAppended),
          j.errorCode ?? '',
        ]),
      ),
    );
  }
  parts.push(`\nWorkspaces (${r.workspaces.length})\n`);
  if (r.workspaces.length > 0) {
    parts.push(
      textTable(
        ['id', 'leads', 'open mismatches', 'open tasks', 'due', 'last served', 'name'],
        r.workspaces.map((w) => [
          w.id,
          String(w.leads),
          String(w.openMismatches),
          String(w.openTasks),
          String(w.dueLeads),
          orNever(w.lastServedAt),
          w.name,
        ]),
      ),
    );
  }
  return parts.join('');
}

export async function statusCommand(args: readonly string[], io: AdminIo = processIo): Promise<number> {
  let json: boolean;
  try {
    json = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, strict: true }).values.json === true;
  } catch {
    io.err(STATUS_USAGE);
    return EXIT_USAGE;
  }
  const opened = await openAdminRuntime(io);
  if (!opened.ok) return opened.exitCode;
  try {
    const report = await gatherStatus(opened.runtime, new Date());
    if (json) printJson(io, report);
    else io.out(renderStatus(report));
    return EXIT_OK;
  } catch (error) {
    io.err(`recon: status could not be read (${describeFailure(error)}).\n`);
    return EXIT_FAILURE;
  } finally {
    await opened.runtime.close();
  }
}
