/**
 * What the admin commands (`status`, `workspaces`, `keys`) talk to: the environment and two output
 * sinks. Injected so tests run the commands in-process and read what they printed.
 */
export interface AdminIo {
  readonly env: Record<string, string | undefined>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: AdminIo = {
  env: process.env,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Exit codes of the admin commands. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Stable machine-readable output: one JSON document and a newline. */
export function printJson(io: AdminIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
