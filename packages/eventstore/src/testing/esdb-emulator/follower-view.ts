/**
 * The emulator as a cluster follower: it shares the leader's log (writes reach the leader, as a
 * real follower forwards them) but serves reads from a replica that can lag (`freeze()` stops
 * replication at the current end, `resume()` catches up), and answers NotLeader — with the
 * leader's endpoint, so the client reconnects there — to a request that requires the leader.
 * This is how a client without `requiresLeader` reads stale data after a leader change.
 */
import { Metadata, type ServerWritableStream } from '@grpc/grpc-js';
import type { EmulatorLog, StoredRecord } from './emulator-log';

/** What stream and `$all` reads look at. */
export interface ReadView {
  readonly records: readonly StoredRecord[];
  stream(streamName: string): readonly StoredRecord[];
  indexAtOrAfter(position: bigint): number;
}

export class FollowerView implements ReadView {
  private replicated: number | null = null;
  constructor(private readonly log: EmulatorLog) {}

  /** Stops replication: reads see the log as it is now. */
  freeze(): void {
    this.replicated = this.log.records.length;
  }

  /** Replication catches up: reads see everything again. */
  resume(): void {
    this.replicated = null;
  }

  get records(): readonly StoredRecord[] {
    return this.replicated === null ? this.log.records : this.log.records.slice(0, this.replicated);
  }

  stream(streamName: string): readonly StoredRecord[] {
    const all = this.log.stream(streamName);
    if (this.replicated === null) return all;
    const last = this.log.records[this.replicated - 1]?.position ?? -1n;
    return all.filter((r) => r.position <= last);
  }

  indexAtOrAfter(position: bigint): number {
    return Math.min(this.log.indexAtOrAfter(position), this.records.length);
  }
}

export interface LeaderEndpoint {
  readonly host: string;
  readonly port: number;
}

const NOT_FOUND = 5;

/** True (and the call answered NotLeader) when a follower is asked for the leader. */
export function refusedAsFollower(
  call: ServerWritableStream<unknown, unknown>,
  leader: LeaderEndpoint | null,
): boolean {
  if (leader === null || call.metadata.get('requires-leader')[0] !== 'true') return false;
  const metadata = new Metadata();
  metadata.set('exception', 'not-leader');
  metadata.set('leader-endpoint-host', leader.host);
  metadata.set('leader-endpoint-port', String(leader.port));
  call.emit('error', { code: NOT_FOUND, details: 'Leader info available', metadata });
  return true;
}
