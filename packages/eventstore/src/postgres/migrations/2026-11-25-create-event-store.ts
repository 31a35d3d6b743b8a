/**
 * The event store's schema. Global order is (transaction_id, position): `position` comes from a
 * sequence when the row is written, `transaction_id` (xid8) says which transaction wrote it, and
 * readers only read below the oldest still-running transaction, so an event that takes an early
 * position but commits late is never skipped. Appends go through one function call: one round
 * trip, one transaction, guarded by the stream's expected revision. The function does not NOTIFY:
 * NOTIFY holds a database-wide lock through commit, which serialised concurrent appends' WAL
 * flushes (8 writers ran at a third of the raw-SQL rate); the adapter notifies after commit.
 */
import type { Migration } from './migration';

const up = /* sql */ `
CREATE SCHEMA IF NOT EXISTS eventstore;

CREATE TABLE eventstore.streams (
  stream_name text PRIMARY KEY,
  revision bigint NOT NULL CHECK (revision >= 0)
);

CREATE TABLE eventstore.events (
  position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_name text NOT NULL,
  revision bigint NOT NULL CHECK (revision >= 0),
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_global_order PRIMARY KEY (transaction_id, position),
  CONSTRAINT events_stream_revision UNIQUE (stream_name, revision),
  CONSTRAINT events_event_id UNIQUE (event_id)
);

-- Offset (revision - ordinal) of p_ids in p_stream when all of them are stored there
-- consecutively and in order; NULL otherwise. Used to recognise a retried append.
CREATE FUNCTION eventstore.stored_offset(p_stream text, p_ids uuid[]) RETURNS bigint
LANGUAGE sql STABLE AS $fn$
  SELECT CASE WHEN count(*) = cardinality(p_ids) AND min(e.revision - u.ord) = max(e.revision - u.ord)
              THEN min(e.revision - u.ord) END
  FROM unnest(p_ids) WITH ORDINALITY AS u(id, ord)
  JOIN eventstore.events e ON e.event_id = u.id AND e.stream_name = p_stream
$fn$;

-- p_expected: 'any' | 'no_stream' | 'stream_exists' | 'revision' (then p_expected_revision).
-- Returns ok + last revision + (transaction id, position) of the last event; or not ok + the
-- stream's current revision (NULL when it does not exist). A retry of an append that is already
-- stored at the expected place returns the original result.
CREATE FUNCTION eventstore.append_events(
  p_stream text, p_expected text, p_expected_revision bigint,
  p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
) RETURNS TABLE (out_ok boolean, out_revision bigint, out_transaction_id xid8, out_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  k int := cardinality(p_ids);
  v_new bigint;
  v_offset bigint;
  v_position bigint;
BEGIN
  IF p_expected IN ('any', 'stream_exists') THEN
    v_offset := eventstore.stored_offset(p_stream, p_ids);
  END IF;
  IF v_offset IS NULL THEN
    CASE p_expected
      WHEN 'revision' THEN
        UPDATE eventstore.streams s SET revision = s.revision + k
         WHERE s.stream_name = p_stream AND s.revision = p_expected_revision RETURNING s.revision INTO v_new;
      WHEN 'no_stream' THEN
        INSERT INTO eventstore.streams AS s (stream_name, revision) VALUES (p_stream, k - 1)
        ON CONFLICT (stream_name) DO NOTHING RETURNING s.revision INTO v_new;
      WHEN 'stream_exists' THEN
        UPDATE eventstore.streams s SET revision = s.revision + k
         WHERE s.stream_name = p_stream RETURNING s.revision INTO v_new;
      WHEN 'any' THEN
        INSERT INTO eventstore.streams AS s (stream_name, revision) VALUES (p_stream, k - 1)
        ON CONFLICT (stream_name) DO UPDATE SET revision = s.revision + k RETURNING s.revision INTO v_new;
      ELSE
        RAISE EXCEPTION 'unknown expected revision kind %', p_expected;
    END CASE;
    IF v_new IS NULL AND p_expected IN ('revision', 'no_stream') THEN
      v_offset := eventstore.stored_offset(p_stream, p_ids);
    END IF;
  END IF;

  IF v_new IS NULL THEN
    IF v_offset IS NOT NULL AND (p_expected IN ('any', 'stream_exists')
        OR (p_expected = 'no_stream' AND v_offset = -1)
        OR (p_expected = 'revision' AND v_offset = p_expected_revision)) THEN
      RETURN QUERY SELECT true, e.revision, e.transaction_id, e.position
        FROM eventstore.events e WHERE e.event_id = p_ids[k];
    ELSE
      RETURN QUERY SELECT false, (SELECT s.revision FROM eventstore.streams s WHERE s.stream_name = p_stream),
        NULL::xid8, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  WITH inserted AS (
    INSERT INTO eventstore.events (stream_name, revision, event_id, event_type, data, metadata)
    SELECT p_stream, v_new - k + u.ord, u.id, u.type, u.data, u.metadata
      FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS u(id, type, data, metadata, ord)
     ORDER BY u.ord
    RETURNING events.position
  )
  SELECT max(inserted.position) INTO v_position FROM inserted;
  RETURN QUERY SELECT true, v_new, pg_current_xact_id(), v_position;
END
$fn$;
`;

const down = /* sql */ `DROP SCHEMA IF EXISTS eventstore CASCADE;`;

export const createEventStore: Migration = { id: '2026-11-25-create-event-store', up, down };
