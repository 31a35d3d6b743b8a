import { describe, expect, it } from 'vitest';
import type { StoredRecord } from './emulator-log';
import { filterFromOptions } from './emulator-filter';
import { streamsPb } from './generated';

function options(expression: { prefixes?: string[]; regex?: string }, on: 'stream' | 'type' = 'stream') {
  const expr = new streamsPb.ReadReq.Options.FilterOptions.Expression();
  if (expression.prefixes) expr.setPrefixList(expression.prefixes);
  if (expression.regex !== undefined) expr.setRegex(expression.regex);
  const filter = new streamsPb.ReadReq.Options.FilterOptions();
  if (on === 'stream') filter.setStreamIdentifier(expr);
  else filter.setEventType(expr);
  filter.setCheckpointintervalmultiplier(2);
  const opts = new streamsPb.ReadReq.Options();
  opts.setFilter(filter);
  return opts;
}

const record = (streamName: string, type = 'Tested'): StoredRecord => ({
  streamName,
  type,
  id: '',
  contentType: 'application/json',
  data: new Uint8Array(),
  customMetadata: new Uint8Array(),
  revision: 0n,
  position: 0n,
  created: 0n,
});

describe('emulator filters behave like the server', () => {
  it('an empty prefix list matches nothing', () => {
    expect(filterFromOptions(options({ prefixes: [] })).matches(record('lead-1'))).toBe(false);
  });

  it('a regex, when given, is used alone (prefixes beside it are ignored)', () => {
    const filter = filterFromOptions(options({ prefixes: ['other-'], regex: '^lead-' }));
    expect(filter.matches(record('lead-1'))).toBe(true);
    expect(filter.matches(record('other-1'))).toBe(false);
  });

  it('prefixes match the start of the stream name or of the event type; checkpoints every multiplier × 32', () => {
    const byStream = filterFromOptions(options({ prefixes: ['a-', 'b-'] }));
    expect(['a-1', 'b-1', 'c-1', 'xa-1'].map((s) => byStream.matches(record(s)))).toEqual([true, true, false, false]);
    expect(byStream.checkpointEvery).toBe(64);
    const byType = filterFromOptions(options({ prefixes: ['Lead'] }, 'type'));
    expect(byType.matches(record('x', 'LeadRegistered'))).toBe(true);
    expect(byType.matches(record('lead-1', 'Other'))).toBe(false);
  });
});
