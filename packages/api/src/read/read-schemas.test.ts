/**
 * The read contract restates the domain's value lists (so `@recon/client` loads no domain code):
 * they must stay the same lists, or a new task kind, severity, state, grade or mismatch kind would be
 * refused as a query filter and missing from the API reference.
 */
import { BOOKING_STATES, FOLLOW_UP_TASK_KINDS, LEAD_GRADES, MISMATCH_KINDS, TASK_SEVERITIES } from '@recon/domain';
import { describe, expect, it } from 'vitest';
import {
  BOOKING_STATE_VALUES,
  GRADE_VALUES,
  MISMATCH_KIND_VALUES,
  TASK_KIND_VALUES,
  TASK_SEVERITY_VALUES,
} from './read-schemas';

describe('read contract value lists', () => {
  it.each([
    ['booking states', BOOKING_STATE_VALUES, BOOKING_STATES],
    ['mismatch kinds', MISMATCH_KIND_VALUES, MISMATCH_KINDS],
    ['task kinds', TASK_KIND_VALUES, FOLLOW_UP_TASK_KINDS],
    ['task severities', TASK_SEVERITY_VALUES, TASK_SEVERITIES],
    ['lead grades', GRADE_VALUES, LEAD_GRADES],
  ] as const)('%s are the domain’s', (_name, contract, domain) => {
    expect([...contract].sort()).toEqual([...domain].sort());
  });
});
