/**
 * A local notification receiver (node:http on 127.0.0.1) that verifies signatures independently
 * and dedupes by idempotency id, as a CRM would; its behaviour per request is the test's to choose.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFY_SECRET } from './notifications-test-context';

export interface ReceivedRequest {
  readonly id: string;
  readonly body: string;
  readonly signatureValid: boolean;
  readonly status: number;
  readonly leadId: string;
  readonly type: string;
}

/** A status to answer; `hang`: never answer; `accept-then-hang`: take it (as a CRM that stored it) but never answer. */
export type ReceiverBehaviour = (request: {
  id: string;
  attempt: number;
  leadId: string;
}) => number | 'hang' | 'accept-then-hang';

export interface Receiver {
  readonly url: string;
  /** Every request in arrival order (failed answers included). */
  readonly requests: ReceivedRequest[];
  /** Notifications accepted, deduped by idempotency id, in acceptance order. */
  readonly accepted: Map<string, ReceivedRequest>;
  /** How many times an already accepted id came again (a redelivery the receiver dropped). */
  duplicates: number;
  behaviour: ReceiverBehaviour;
  close(): Promise<void>;
}

function signatureValid(header: string | undefined, body: string, secret: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (m === null) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2] ?? '', 'hex')) && Math.abs(Date.now() / 1000 - Number(m[1])) <= 180;
}

export async function startReceiver(
  secret = NOTIFY_SECRET,
  behaviour: ReceiverBehaviour = () => 200,
): Promise<Receiver> {
  const attempts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    requests: [],
    accepted: new Map(),
    duplicates: 0,
    behaviour,
    close: async () => undefined,
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['recon-idempotency-id'] ?? '');
      const parsed = JSON.parse(body) as { leadId: string; type: string; id: string };
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const valid =
        signatureValid(req.headers['recon-signature'] as string | undefined, body, secret) && parsed.id === id;
      const decided = valid ? receiver.behaviour({ id, attempt, leadId: parsed.leadId }) : 401;
      const status = decided === 'hang' ? 0 : decided === 'accept-then-hang' ? 200 : decided;
      const entry = { id, body, signatureValid: valid, status, leadId: parsed.leadId, type: parsed.type };
      receiver.requests.push(entry);
      if (status >= 200 && status < 300) {
        if (receiver.accepted.has(id)) receiver.duplicates += 1;
        else receiver.accepted.set(id, entry);
      }
      if (decided === 'hang' || decided === 'accept-then-hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks/recon`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
