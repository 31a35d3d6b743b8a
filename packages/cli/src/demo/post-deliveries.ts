/** Posts the demo's webhook deliveries to recon: sequences in parallel, each sequence in order. */
import type { ProgressReporter } from '../progress/progress-reporter';
import type { DemoDelivery } from './demo-deliveries';
import { demoRequest, inParallel } from './demo-http';

export interface Posted {
  readonly posted: number;
  readonly accepted: number;
}

export async function postDeliveries(
  url: string,
  workspaceId: string,
  sequences: readonly (readonly DemoDelivery[])[],
  bar?: ProgressReporter,
): Promise<Posted> {
  let posted = 0;
  let accepted = 0;
  const total = sequences.reduce((n, d) => n + d.length, 0);
  await inParallel(sequences, 8, async (sequence) => {
    for (const d of sequence) {
      const r = await demoRequest(`${url}${d.path(workspaceId)}`, 'POST', { raw: d.body, headers: d.headers() });
      posted += 1;
      if (r.status >= 200 && r.status < 300) accepted += 1;
      bar?.update({ done: posted, total });
    }
  });
  bar?.finish();
  return { posted, accepted };
}
