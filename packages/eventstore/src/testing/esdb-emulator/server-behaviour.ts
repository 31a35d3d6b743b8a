/**
 * Which real EventStoreDB behaviours the emulator reproduces. Each release line differs in ways the
 * adapter must survive (see docs/eventstoredb.md, "Known server behaviours"); `behaviourFor`
 * derives them from the reported server version, and `startEsdbEmulator` lets a test override any
 * single one. The defaults of a version are what the review of the server's source found for it.
 */

/** What a filtered `$all` subscription sends when it reaches the live end of the log. */
export type GoLiveCheckpoint =
  /** Nothing (servers that send CaughtUp instead and have no checkpoint bug). */
  | 'none'
  /** A checkpoint at the last event in the log (a real, already scanned event). */
  | 'last-event'
  /** 22.10.0–22.10.3, late 24.10 and 25.0: the position the next, not yet delivered event gets. */
  | 'next-undelivered'
  /** 24.10.0–24.10.4: (2^64−1, 2^64−1) when nothing matched in the first search window. */
  | 'end-of-log';

export interface ServerBehaviour {
  /** Subscriptions send CaughtUp when they go live (23.10+). */
  readonly sendCaughtUp: boolean;
  readonly goLiveCheckpoint: GoLiveCheckpoint;
  /** Resuming `$all` from a position skips the first event at or after it (22.10, 23.10). */
  readonly resumeSkipsFirst: boolean;
  /** BatchAppend is implemented and advertised (every 22.10+ server). */
  readonly batchAppend: boolean;
  /** A live subscription whose consumer falls this many events behind is ended (22.10, 23.10). */
  readonly maxLiveBuffer: number | null;
  /**
   * `$all` reads and subscriptions answer AccessDenied, as a secure server does to a client without
   * credentials of an `$admins` member (24.10 also disables anonymous access). Default false: the
   * emulator is an insecure server, and the client never sends credentials over `tls=false`.
   */
  readonly denyAllStreamReads: boolean;
}

/** The end of the log as 24.10.0–24.10.4 send it in a checkpoint. */
export const END_OF_LOG = 2n ** 64n - 1n;

export function parseVersion(version: string): readonly [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

export function behaviourFor(serverVersion: string): ServerBehaviour {
  const [major, minor, patch] = parseVersion(serverVersion);
  const line = major * 100 + minor;
  const goLiveCheckpoint: GoLiveCheckpoint =
    line < 2310
      ? line === 2210 && patch <= 3
        ? 'next-undelivered'
        : 'last-event'
      : line === 2410 && patch <= 4
        ? 'end-of-log'
        : line >= 2410
          ? 'next-undelivered'
          : 'none';
  return {
    sendCaughtUp: line >= 2310,
    goLiveCheckpoint,
    resumeSkipsFirst: line < 2410,
    batchAppend: line >= 2210,
    maxLiveBuffer: line < 2410 ? 32 : null,
    denyAllStreamReads: false,
  };
}
