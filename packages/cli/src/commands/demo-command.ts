/** `recon demo` (being built). */
export async function demoCommand(_args: { readonly leads: string | undefined; readonly seed: string | undefined; readonly keep: boolean }): Promise<number> {
  process.stderr.write('recon demo is not available in this build yet.\n');
  return 1;
}
