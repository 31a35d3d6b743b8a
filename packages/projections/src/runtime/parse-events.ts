/**
 * Turns stored events into typed ones at the store boundary. Unknown types are skipped (a newer
 * writer's events must not stop an older reader); a known type whose payload does not parse is a
 * poison event. Instants are normalized to millisecond ISO so string comparisons in folds hold.
 */
import {
  AppointmentEvent,
  AppointmentMatchKeys,
  LeadEvent,
  parseReconEvent,
  WorkspaceEvent,
  type ReconEvent,
} from '@recon/domain';
import type { RecordedEvent } from '@recon/eventstore';
import { PoisonEventError, type ProjectedEvent } from './projection';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function normalizeInstants<E extends ReconEvent | WorkspaceEvent>(event: E): E {
  const data = event.data as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key in data) {
    const value = data[key];
    if (typeof value === 'string' && value.length !== 24 && key.endsWith('At') && INSTANT.test(value)) {
      copy ??= { ...data };
      copy[key] = new Date(value).toISOString();
    }
  }
  return copy === null ? event : ({ ...event, data: copy } as E);
}

export function parseRecorded(recorded: RecordedEvent): ProjectedEvent | null {
  const parsed = parseReconEvent(recorded.type, recorded.data);
  if (parsed.ok) return { recorded, event: normalizeInstants(parsed.value) };
  if (parsed.code === 'EVENT_UNKNOWN_TYPE') {
    if (!WorkspaceEvent.options.some((o) => o.shape.type.value === recorded.type)) return null;
    const ws = WorkspaceEvent.safeParse({ type: recorded.type, data: recorded.data });
    if (ws.success) return { recorded, event: normalizeInstants(ws.data) };
    throw new PoisonEventError(
      recorded,
      'EVENT_INVALID',
      ws.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.code}`)
        .join('; '),
    );
  }
  throw new PoisonEventError(recorded, parsed.code, parsed.issues.slice(0, 5).join('; '));
}

/** Parses a batch, leaving out skipped ids; throws PoisonEventError naming the first bad event. */
export function parseBatch(events: readonly RecordedEvent[], skip: ReadonlySet<string>): ProjectedEvent[] {
  const out: ProjectedEvent[] = [];
  for (const e of events) {
    if (skip.has(e.id)) continue;
    const p = parseRecorded(e);
    if (p !== null) out.push(p);
  }
  return out;
}

export function matchesPrefixes(streamName: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => streamName.startsWith(p));
}

/** Per known event type, the data fields its schema requires (neither optional nor defaulted). */
const REQUIRED_FIELDS: ReadonlyMap<string, readonly string[]> = new Map(
  [...LeadEvent.options, ...AppointmentEvent.options, ...WorkspaceEvent.options].map((o) => [
    o.shape.type.value,
    Object.entries(o.shape.data.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([name]) => name),
  ]),
);

/**
 * `parseRecorded` for events recon's own store returns to a rebuild: they were validated when they
 * were written, so the full schema is not run again. What stays: unknown types are skipped, a
 * payload that is not an object or lacks a required field goes through the full parse (and so
 * becomes the same poison event), `AppointmentBooked.matchKeys` are read as the schema reads them
 * (malformed: absent; missing fields defaulted), and instants are normalized.
 */
export function parseStored(recorded: RecordedEvent): ProjectedEvent | null {
  const required = REQUIRED_FIELDS.get(recorded.type);
  if (required === undefined) return null;
  const data = recorded.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return parseRecorded(recorded);
  for (const field of required) if (data[field] === undefined) return parseRecorded(recorded);
  let event = { type: recorded.type, data } as ReconEvent | WorkspaceEvent;
  if (recorded.type === 'AppointmentBooked' && data['matchKeys'] !== undefined) {
    const keys = AppointmentMatchKeys.safeParse(data['matchKeys']);
    event = { type: recorded.type, data: { ...data, matchKeys: keys.success ? keys.data : undefined } } as ReconEvent;
  }
  return { recorded, event: normalizeInstants(event) };
}
