/**
 * Whether the connected EventStoreDB sends the CaughtUp subscription message (servers from
 * 23.10 do). The version comes from ServerFeatures.GetSupportedMethods, which the client fetches
 * and caches itself; unknown versions count as "no" (the adapter then reads to the end first).
 */
import type { EventStoreDBClient } from '@eventstore/db-client';

export async function serverSendsCaughtUp(client: EventStoreDBClient): Promise<boolean> {
  try {
    const features = await (client as unknown as { capabilities: Promise<{ serverVersion: string }> }).capabilities;
    const [major = 0, minor = 0] = features.serverVersion.split('.').map((part) => Number.parseInt(part, 10));
    return major > 23 || (major === 23 && minor >= 10);
  } catch {
    return false;
  }
}
