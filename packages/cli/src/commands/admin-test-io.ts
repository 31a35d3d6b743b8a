/** Test support: runs an admin command in-process with an injected environment, capturing its output. */
import type { AdminIo } from './admin-io';

export interface AdminRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runAdmin(
  command: (args: readonly string[], io: AdminIo) => Promise<number>,
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<AdminRun> {
  let out = '';
  let err = '';
  const code = await command(args, {
    env: { LOG_LEVEL: 'silent', ...env },
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}
