/**
 * Group commit: `eventstore.append_batch` runs several appends (to any streams, each with its own
 * expectation) in one statement and so in one transaction and one commit. Each append goes through
 * `eventstore.append_events` in the order given, so the outcome of every append is exactly the one
 * it would have had alone after the ones before it: its own expected-revision check, its own
 * WRONG_EXPECTED_VERSION row, its own recognition of a retried append. A row per append comes
 * back, numbered from 1. An exception in any append (an event id reused in another stream) rolls
 * the whole batch back; the adapter then runs those appends one by one.
 * The events of all appends are passed flattened, `p_counts[i]` of them for append i.
 */
import type { Migration } from './migration';

const up = /* sql */ `
CREATE FUNCTION eventstore.append_batch(
  p_streams text[], p_expected text[], p_expected_revisions bigint[], p_counts int[],
  p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
) RETURNS TABLE (out_index int, out_ok boolean, out_revision bigint, out_transaction_id xid8, out_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_from int := 1;
  v_to int;
  r record;
BEGIN
  FOR i IN 1 .. cardinality(p_streams) LOOP
    v_to := v_from + p_counts[i] - 1;
    SELECT * INTO STRICT r FROM eventstore.append_events(
      p_streams[i], p_expected[i], p_expected_revisions[i],
      p_ids[v_from:v_to], p_types[v_from:v_to], p_data[v_from:v_to], p_metadata[v_from:v_to]);
    out_index := i;
    out_ok := r.out_ok;
    out_revision := r.out_revision;
    out_transaction_id := r.out_transaction_id;
    out_position := r.out_position;
    RETURN NEXT;
    v_from := v_to + 1;
  END LOOP;
END
$fn$;
`;

const down = /* sql */ `DROP FUNCTION IF EXISTS eventstore.append_batch(text[], text[], bigint[], int[], uuid[], text[], jsonb[], jsonb[]);`;

export const appendBatch: Migration = { id: '2026-11-30-append-batch', up, down };
