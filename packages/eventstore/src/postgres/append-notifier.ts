/**
 * Wakes subscriptions when events are appended: one dedicated connection per store LISTENs on the
 * channel that appending stores NOTIFY after each commit (append-announcer). A generation counter closes the race
 * between "poll found nothing" and "start waiting". If the connection is lost, waiters still wake
 * on their polling timeout and the next wait reconnects, so a dead listener costs latency only.
 */
import pg from 'pg';

export const APPEND_CHANNEL = 'eventstore_appended';

export interface AppendNotifier {
  /** Starts listening (idempotent, best effort). */
  start(): Promise<void>;
  /** Increases on every notification. */
  generation(): number;
  /** Resolves when the generation passes `seen`, after `timeoutMs`, or on abort. */
  waitForChange(seen: number, timeoutMs: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export function createAppendNotifier(clientConfig: pg.ClientConfig): AppendNotifier {
  let generation = 0;
  let closed = false;
  let connecting: Promise<pg.Client | null> | undefined;
  const waiters = new Set<() => void>();

  const wakeAll = (): void => {
    for (const wake of [...waiters]) wake();
  };

  const connect = (): Promise<pg.Client | null> => {
    connecting ??= (async () => {
      const client = new pg.Client(clientConfig);
      const forget = (): void => {
        connecting = undefined;
        client.removeAllListeners('notification');
        void client.end().catch(() => undefined);
      };
      client.on('error', forget);
      client.on('end', () => {
        if (!closed) connecting = undefined;
      });
      client.on('notification', (message) => {
        if (message.channel !== APPEND_CHANNEL) return;
        generation += 1;
        wakeAll();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${APPEND_CHANNEL}`);
        // Anything appended while we were not listening is found by the caller's next poll.
        generation += 1;
        wakeAll();
        return client;
      } catch {
        forget();
        return null;
      }
    })();
    return connecting;
  };

  return {
    async start() {
      if (!closed) await connect();
    },
    generation: () => generation,
    waitForChange(seen, timeoutMs, signal) {
      if (closed || signal.aborted || generation !== seen) return Promise.resolve();
      void connect();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        waiters.add(done);
      });
    },
    async close() {
      closed = true;
      wakeAll();
      const client = await connecting?.catch(() => null);
      connecting = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
