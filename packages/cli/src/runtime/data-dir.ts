/**
 * RECON_DATA_DIR holds the embedded database files and the generated secrets. It is created
 * owner-only (0700). When recon runs as root the embedded PostgreSQL runs as the `postgres` OS
 * user, which must be able to traverse into its own subdirectory: then the directory is 0711
 * (traverse, no listing) and the secrets inside stay 0600 root-only.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';

export function isRoot(): boolean {
  return userInfo().uid === 0;
}

/** Creates the data directory (and parents) if needed, fixes its mode, returns its absolute path. */
export async function ensureDataDir(dataDir: string): Promise<string> {
  const absolute = path.resolve(dataDir);
  await mkdir(absolute, { recursive: true, mode: 0o700 });
  await chmod(absolute, isRoot() ? 0o711 : 0o700);
  return absolute;
}
