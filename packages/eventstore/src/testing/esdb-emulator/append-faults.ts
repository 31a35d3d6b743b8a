/**
 * Failures of the append path the emulator can be told to produce, as real servers do:
 * - a Timeout answer after the write committed (the server caps each BatchAppend request at its
 *   write timeout, 2 s by default, and a slow replication acknowledgement then answers Timeout
 *   although the events are in the log);
 * - stalled appends that are only answered when the shared BatchAppend stream breaks, so every
 *   append pending on it fails at once (transport error);
 * - appends over the server's maximum append size (1 MiB by default).
 */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

export class AppendFaults {
  /** The next this many appends commit, then answer Timeout. */
  timeoutsAfterCommit = 0;
  /** While true, appends are held unanswered and uncommitted until `breakStreams()`. */
  stalled = false;
  maxAppendSize = DEFAULT_MAX_APPEND_SIZE;
  private readonly breakers = new Set<() => void>();
  private readonly held = new Set<() => void>();

  /** Holds an answer while `stalled`; returns false (answer now) otherwise. */
  hold(answer: () => void): boolean {
    if (!this.stalled) return false;
    this.held.add(answer);
    return true;
  }

  /** Appends held unanswered right now. */
  heldCount(): number {
    return this.held.size;
  }

  /** Consumes one Timeout-after-commit, if any is armed. */
  takeTimeout(): boolean {
    if (this.timeoutsAfterCommit <= 0) return false;
    this.timeoutsAfterCommit -= 1;
    return true;
  }

  /** Registers how to break one open append stream; returns the unregister function. */
  onBreak(breaker: () => void): () => void {
    this.breakers.add(breaker);
    return () => this.breakers.delete(breaker);
  }

  /** Ends every open append stream with UNAVAILABLE; returns how many. */
  breakStreams(): number {
    const all = [...this.breakers];
    this.breakers.clear();
    this.held.clear();
    for (const breaker of all) breaker();
    return all.length;
  }
}
