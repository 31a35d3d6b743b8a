/**
 * The soak bench's load generator, run as its own process (so its CPU is not recon's and not the
 * sampler's): signed Calendly `invitee.created` deliveries, a unique invitee each, sent open-loop
 * at a fixed rate over keep-alive connections for a fixed time, whatever recon answers (a refused
 * delivery is recorded, not retried). Every Nth accepted delivery is a lag probe: from its 2xx
 * answer, reads with `?minPosition=<its position>` until one answers 200 (every projection has
 * applied it, so the appointment is visible through the read API).
 *
 * Env: SOAK_URL, SOAK_WS, SOAK_API_KEY, SOAK_SIGNING_KEY, SOAK_PROBE_LEAD, SOAK_RATE (deliveries/s),
 * SOAK_SECONDS, SOAK_PROBE_EVERY. Writes JSON lines to stdout: `{ k: 'batch', d: [[sent, answered,
 * status]…], l: [[answered, visible|null]…] }` once a second, between `{ k: 'start' }` and `{ k: 'done' }`.
 */
import http from 'node:http';
import { signedDelivery } from '../../api/bench/webhook-deliveries';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is required`);
  return v;
};

const url = new URL(env('SOAK_URL'));
const ws = env('SOAK_WS');
const apiKey = env('SOAK_API_KEY');
const signingKey = env('SOAK_SIGNING_KEY');
const probeLead = env('SOAK_PROBE_LEAD');
const rate = Number(env('SOAK_RATE'));
const seconds = Number(env('SOAK_SECONDS'));
const probeEvery = Math.max(1, Number(env('SOAK_PROBE_EVERY')));

const REQUEST_TIMEOUT_MS = 20_000;
const PROBE_GIVE_UP_MS = 60_000;
const webhookAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request; a refused, reset or timed-out one answers status 0 (never throws). */
function request(
  agent: http.Agent,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: Answer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = http.request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish({ status: 0, body: '' }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, body: '' });
    }, REQUEST_TIMEOUT_MS);
    req.on('error', () => finish({ status: 0, body: '' }));
    req.end(body);
  });
}

const deliveries: [number, number, number][] = [];
const lags: [number, number | null][] = [];
let inFlight = 0;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** From `answeredAt`, reads until the projections have passed `position` (409 STALE_READ → again, 503/transport → again after 100 ms). */
async function probe(position: string, answeredAt: number): Promise<void> {
  const path = `/v1/workspaces/${ws}/leads/${probeLead}?minPosition=${encodeURIComponent(position)}`;
  while (Date.now() - answeredAt < PROBE_GIVE_UP_MS) {
    const r = await request(probeAgent, 'GET', path, { authorization: `Bearer ${apiKey}` });
    if (r.status === 200) {
      lags.push([answeredAt, Date.now()]);
      return;
    }
    if (r.status !== 409) await pause(100);
  }
  lags.push([answeredAt, null]);
}

async function send(n: number): Promise<void> {
  inFlight++;
  const d = signedDelivery(`soak-${process.pid}-${n}`, signingKey, Math.floor(Date.now() / 1000));
  const sentAt = Date.now();
  const r = await request(
    webhookAgent,
    'POST',
    `/webhooks/calendly/${ws}`,
    {
      'content-type': 'application/json',
      'calendly-webhook-signature': d.signature,
    },
    d.body,
  );
  const answeredAt = Date.now();
  deliveries.push([sentAt, answeredAt, r.status]);
  inFlight--;
  if (n % probeEvery !== 0 || r.status < 200 || r.status >= 300) return;
  let position: unknown = null;
  try {
    position = (JSON.parse(r.body) as { position?: unknown }).position;
  } catch {
    position = null;
  }
  if (typeof position === 'string') await probe(position, answeredAt);
}

function flush(): void {
  const d = deliveries.splice(0);
  const l = lags.splice(0);
  if (d.length > 0 || l.length > 0) process.stdout.write(`${JSON.stringify({ k: 'batch', d, l })}\n`);
}

async function main(): Promise<void> {
  const total = Math.round(rate * seconds);
  const started = Date.now();
  process.stdout.write(`${JSON.stringify({ k: 'start', started })}\n`);
  const pending: Promise<void>[] = [];
  let sent = 0;
  const flusher = setInterval(flush, 1000);
  // Open loop: every tick sends what the schedule says is due by now, whatever is still in flight.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000));
      while (sent < due) pending.push(send(sent++));
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const loadEnded = Date.now();
  await Promise.all(pending);
  clearInterval(flusher);
  flush();
  process.stdout.write(`${JSON.stringify({ k: 'done', started, loadEnded, sent, inFlightAtEnd: inFlight })}\n`);
  webhookAgent.destroy();
  probeAgent.destroy();
}

await main();
