import { describe, expect, it } from 'vitest';
import { deciderSpec, type Decider } from './decider-spec';

type Event = { type: 'Added'; n: number };
const counter: Decider<{ atLeast: number } | { fail: true }, Event, number> = {
  initialState: () => 0,
  evolve: (s, e) => s + e.n,
  decide: (c, s) =>
    'fail' in c ? { ok: false, code: 'REFUSED' } : c.atLeast > s ? [{ type: 'Added', n: c.atLeast - s }] : [],
};

describe('deciderSpec', () => {
  const spec = deciderSpec(counter);
  it('folds the given events, decides, and checks events, nothing, or a failure code', () => {
    spec
      .given([{ type: 'Added', n: 2 }])
      .when({ atLeast: 5 })
      .then([{ type: 'Added', n: 3 }]);
    spec
      .given([{ type: 'Added', n: 2 }])
      .when({ atLeast: 5 })
      .thenMatches([{ n: 3 }]);
    spec
      .given([{ type: 'Added', n: 5 }])
      .when({ atLeast: 5 })
      .thenNothingHappens();
    spec.given().when({ fail: true }).thenFails('REFUSED');
    spec
      .given()
      .when({ atLeast: 1 })
      .then((events, after) => {
        expect(events).toHaveLength(1);
        expect(after).toBe(1);
      });
  });

  it('fails when the decider does something else', () => {
    expect(() => spec.given().when({ atLeast: 1 }).thenNothingHappens()).toThrow();
    expect(() => spec.given().when({ atLeast: 1 }).thenFails('REFUSED')).toThrow();
    expect(() => spec.given().when({ fail: true }).then([])).toThrow(/REFUSED/);
  });
});
