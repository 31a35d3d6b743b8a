/**
 * Given / when / then for deciders (after Emmett's `DeciderSpecification`, written for recon):
 *
 *   deciderSpec(appointmentDecider).given([booked]).when(observeCanceled).then([canceled]);
 *   deciderSpec(linkDecider).given(events).when(link).thenFails('APPOINTMENT_LINKED_TO_OTHER_LEAD');
 *
 * `given` folds past events with the decider's `evolve` from `initialState()`; `when` runs
 * `decide`, which may answer events, or errors as values (`{ok: true, value} | {ok: false, code}`).
 * Test support only (uses vitest's expect for readable diffs).
 */
import { expect } from 'vitest';

export type DecideOutcome<E> =
  | readonly E[]
  | { readonly ok: true; readonly value: readonly E[] }
  | { readonly ok: false; readonly code: string };

export interface Decider<C, E, S> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (command: C, state: S) => DecideOutcome<E>;
}

export interface Then<E, S> {
  /** The decided events equal `expected` exactly, or pass the assertion function. */
  then(expected: readonly E[] | ((events: readonly E[], stateAfter: S) => void)): void;
  /** The decided events match `expected` (a subset of each event's fields, in order). */
  thenMatches(expected: readonly unknown[]): void;
  /** The idempotence guard: nothing is decided. */
  thenNothingHappens(): void;
  /** The decider refuses with this code. */
  thenFails(code: string): void;
}

function outcome<E>(result: DecideOutcome<E>): { ok: true; events: readonly E[] } | { ok: false; code: string } {
  if (Array.isArray(result)) return { ok: true, events: result };
  const r = result as Exclude<DecideOutcome<E>, readonly E[]>;
  return r.ok ? { ok: true, events: r.value } : { ok: false, code: r.code };
}

export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(past: readonly E[] = []) {
      const state = past.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C): Then<E, S> {
          const run = () => outcome(decider.decide(command, state));
          const events = (): readonly E[] => {
            const r = run();
            if (!r.ok) throw new Error(`expected events, the decider failed with ${r.code}`);
            return r.events;
          };
          return {
            then(expected) {
              const decided = events();
              if (typeof expected === 'function') expected(decided, decided.reduce(decider.evolve, state));
              else expect(decided).toEqual(expected);
            },
            thenMatches(expected) {
              expect(events()).toMatchObject(expected);
            },
            thenNothingHappens() {
              expect(events()).toEqual([]);
            },
            thenFails(code) {
              const r = run();
              expect(r.ok ? 'no failure' : r.code).toBe(code);
            },
          };
        },
      };
    },
  };
}
