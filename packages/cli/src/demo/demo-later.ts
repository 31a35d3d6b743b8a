/**
 * After the first reconciliation, the same afternoon: leads recon had flagged ("Meeting Booked"
 * but no meeting anywhere) book after all — one webhook arrives, one is lost and the operator's
 * check-now (`POST …/leads/:leadId/check`) finds the booking — the CRM relabels leads that have a
 * meeting as "Meeting Booked", and the operator resolves one red task after calling the lead back.
 * Their mismatches close, so the page's mismatch chart has closings as well as openings.
 */
import { feedLeads, type CrmTarget } from './demo-crm-feed';
import { demoCall } from './demo-http';
import type { DemoProviders } from './demo-providers';
import type { DemoLater } from './demo-world-types';
import { postDeliveries } from './post-deliveries';

export interface LaterSummary {
  readonly lateBookings: number;
  /** Lead ids whose late booking's webhook was lost and check-now found it. */
  readonly foundByCheckNow: readonly string[];
  readonly sentimentRelabelled: number;
  readonly tasksResolved: number;
}

export async function runDemoLater(
  target: CrmTarget,
  providers: DemoProviders,
  later: DemoLater,
): Promise<LaterSummary> {
  const sequences = later.lateBookings.map((late) => providers.bookLater(late, Date.now()));
  await postDeliveries(target.url, target.workspaceId, sequences);
  const foundByCheckNow: string[] = [];
  for (const late of later.lateBookings.filter((l) => l.webhookLost)) {
    const answer = await demoCall(
      `${target.url}/v1/workspaces/${target.workspaceId}/leads/${encodeURIComponent(late.lead.leadId)}/check`,
      'POST',
      [200],
      { token: target.operatorKey },
    );
    if (answer['state'] === 'booked') foundByCheckNow.push(late.lead.leadId);
  }
  if (later.sentimentCorrections.length > 0)
    await feedLeads(target, later.sentimentCorrections, { label: 'Meeting Booked', atMs: Date.now() });
  const tasks = await demoCall(
    `${target.url}/v1/workspaces/${target.workspaceId}/tasks?status=open&kind=meeting-canceled&limit=1`,
    'GET',
    [200],
    { token: target.operatorKey },
  );
  const task = (tasks['items'] as { id: string }[] | undefined)?.[0];
  if (task !== undefined)
    await demoCall(
      `${target.url}/v1/workspaces/${target.workspaceId}/tasks/${encodeURIComponent(task.id)}/resolve`,
      'POST',
      [200],
      { token: target.operatorKey, body: { note: 'Called back; the lead will rebook next week' } },
    );
  return {
    lateBookings: later.lateBookings.length,
    foundByCheckNow,
    sentimentRelabelled: later.sentimentCorrections.length,
    tasksResolved: task === undefined ? 0 : 1,
  };
}
