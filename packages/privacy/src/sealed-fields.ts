/**
 * Which fields of which events say something about a person, and how they are sealed. Everything
 * else in an event (ids, times, statuses: the lead's verified state and history) stays in clear.
 *
 * - `LeadRegistered`, `LeadContactChanged`: the keyed email hashes (`emailHash`, `alternateEmailHashes`);
 * - `FollowUpTaskResolved`: the operator's free-text `note`;
 * - `AppointmentBooked`: the booker's and guests' keyed email hashes (`matchKeys.inviteeEmailHash`,
 *   `matchKeys.guestEmailHashes`).
 *
 * A sealed event keeps those fields at their empty value (null, []) and carries `sealed` (see
 * field-box.ts) holding their values; opened with its stream's key it reads exactly as written.
 * Without the key (erased), it reads as an event that never carried them: every reader of the
 * domain schemas (which ignore the extra `sealed` field) sees "nothing to match by".
 */
import type { StreamKey } from '@recon/workspaces';
import { openWithKey, sealWithKey, sealedKeyId } from './field-box';

interface SealedField {
  readonly path: readonly [string] | readonly [string, string];
  readonly empty: null | readonly [];
}

const emailHashes: readonly SealedField[] = [
  { path: ['emailHash'], empty: null },
  { path: ['alternateEmailHashes'], empty: [] },
];

export const SEALED_FIELDS: Readonly<Record<string, readonly SealedField[]>> = {
  LeadRegistered: emailHashes,
  LeadContactChanged: emailHashes,
  FollowUpTaskResolved: [{ path: ['note'], empty: null }],
  AppointmentBooked: [
    { path: ['matchKeys', 'inviteeEmailHash'], empty: null },
    { path: ['matchKeys', 'guestEmailHashes'], empty: [] },
  ],
};

/** The field of `data` where sealed values are kept. */
export const SEALED_FIELD = 'sealed';

type Data = Record<string, unknown>;

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0);

function get(data: Data, path: SealedField['path']): unknown {
  const [first, second] = path;
  if (second === undefined) return data[first];
  const inner = data[first];
  return typeof inner === 'object' && inner !== null ? (inner as Data)[second] : undefined;
}

/** A copy of `data` with `path` set (copying the inner object too); unchanged when the parent is missing. */
function set(data: Data, path: SealedField['path'], value: unknown): Data {
  const [first, second] = path;
  if (second === undefined) return { ...data, [first]: value };
  const inner = data[first];
  if (typeof inner !== 'object' || inner === null) return data;
  return { ...data, [first]: { ...(inner as Data), [second]: value } };
}

const associatedData = (streamName: string, type: string) => `${streamName}\n${type}`;

/** Whether an event of `type` with `data` has anything to seal (so its stream needs a key). */
export function needsSealing(type: string, data: Data): boolean {
  const fields = SEALED_FIELDS[type];
  if (fields === undefined || typeof data[SEALED_FIELD] === 'string') return false;
  return fields.some((f) => !isEmpty(get(data, f.path)));
}

/** `data` with its person fields emptied and their values sealed under `key`; as is when nothing to seal. */
export function sealEventData(streamName: string, type: string, data: Data, key: StreamKey): Data {
  const fields = SEALED_FIELDS[type];
  if (fields === undefined || !needsSealing(type, data)) return data;
  const values = fields.map((f) => get(data, f.path) ?? f.empty);
  let sealed: Data = data;
  for (const f of fields) if (get(data, f.path) !== undefined) sealed = set(sealed, f.path, f.empty);
  return { ...sealed, [SEALED_FIELD]: sealWithKey(key, JSON.stringify(values), associatedData(streamName, type)) };
}

/** The key id `data` was sealed under, or null when it carries nothing sealed. */
export function sealedUnder(data: Data): string | null {
  const sealed = data[SEALED_FIELD];
  return typeof sealed === 'string' ? sealedKeyId(sealed) : null;
}

export type OpenOutcome = 'plain' | 'opened' | 'shredded';

/**
 * `data` as written when `key` opens its sealed fields ('opened'); without them ('shredded': the
 * key is gone or is another one) or as it was ('plain': nothing sealed). `sealed` is never returned.
 */
export function openEventData(
  streamName: string,
  type: string,
  data: Data,
  key: StreamKey | undefined,
): { readonly data: Data; readonly outcome: OpenOutcome } {
  const sealed = data[SEALED_FIELD];
  if (typeof sealed !== 'string') return { data, outcome: 'plain' };
  const { [SEALED_FIELD]: _, ...rest } = data;
  const fields = SEALED_FIELDS[type];
  const plaintext =
    key === undefined || fields === undefined ? null : openWithKey(key, sealed, associatedData(streamName, type));
  if (plaintext === null || fields === undefined) return { data: rest, outcome: 'shredded' };
  const values = JSON.parse(plaintext) as unknown[];
  let opened: Data = rest;
  fields.forEach((f, i) => {
    opened = set(opened, f.path, values[i] ?? f.empty);
  });
  return { data: opened, outcome: 'opened' };
}
