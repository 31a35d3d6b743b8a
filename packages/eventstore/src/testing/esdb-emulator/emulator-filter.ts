/**
 * Server-side filters of EventStoreDB reads and subscriptions ($all only): a prefix list or a
 * regular expression, on the stream name or on the event type (a regex, when given, is used alone;
 * an empty prefix list matches nothing, as on the server). Also works out the checkpoint
 * interval the way the server does: multiplier × search window (default window 32).
 */
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredRecord } from './emulator-log';

export interface EmulatorFilter {
  readonly matches: (record: StoredRecord) => boolean;
  /** Scanned records (matched or not) between two checkpoints; null without a filter. */
  readonly checkpointEvery: number | null;
}

const DEFAULT_WINDOW = 32;

export function filterFromOptions(options: ReadReq.Options): EmulatorFilter {
  if (!options.hasFilter()) return { matches: () => true, checkpointEvery: null };
  const filter = options.getFilter() as ReadReq.Options.FilterOptions;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regexSource = expression?.getRegex() ?? '';
  const regex = regexSource === '' ? null : new RegExp(regexSource);
  const subject = (r: StoredRecord): string => (onStream ? r.streamName : r.type);
  // As the server: a regex, when given, is used alone; otherwise the prefixes, and an empty prefix
  // list matches nothing.
  const matches = (r: StoredRecord): boolean => {
    const value = subject(r);
    return regex !== null ? regex.test(value) : prefixes.some((p) => value.startsWith(p));
  };
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_WINDOW;
  const multiplier = Math.max(1, filter.getCheckpointintervalmultiplier());
  return { matches, checkpointEvery: multiplier * window };
}
