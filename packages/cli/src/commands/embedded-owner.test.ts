/** The embedded database counts as owned only while its postmaster.pid names a live process. */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedDatabaseOwner } from './embedded-owner';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recon-embedded-owner-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pidFile = async (text: string) => {
  await mkdir(path.join(dir, 'postgres'), { recursive: true });
  await writeFile(path.join(dir, 'postgres', 'postmaster.pid'), text);
};

describe('embeddedDatabaseOwner', () => {
  it('is null without a cluster or a pid file', async () => {
    expect(await embeddedDatabaseOwner(dir)).toBeNull();
    await mkdir(path.join(dir, 'postgres'));
    expect(await embeddedDatabaseOwner(dir)).toBeNull();
  });

  it('names a live pid', async () => {
    await pidFile(`${process.pid}\n/data/postgres\n`);
    expect(await embeddedDatabaseOwner(dir)).toBe(process.pid);
  });

  it('ignores a stale pid (a crash leaves one) and garbage', async () => {
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    await pidFile(`${exited}\n`);
    expect(await embeddedDatabaseOwner(dir)).toBeNull();
    await pidFile('not a pid\n');
    expect(await embeddedDatabaseOwner(dir)).toBeNull();
  });
});
